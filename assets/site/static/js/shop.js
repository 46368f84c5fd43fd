// Runs the search box through the API, so one page view in a browser produces the same
// page + static + API mix the lab's load client sends.
document.addEventListener('DOMContentLoaded', () => {
  const form = document.getElementById('search');
  const results = document.getElementById('results');
  if (!form || !results) {
    return;
  }
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const q = new FormData(form).get('q') || '';
    results.textContent = 'Searching...';
    try {
      const response = await fetch('/api/search?q=' + encodeURIComponent(q));
      const body = await response.json();
      const servedBy = response.headers.get('X-Served-By') || body.servedBy || '?';
      results.replaceChildren(...(body.items || []).map((item) => {
        const div = document.createElement('div');
        div.className = 'result';
        div.innerHTML = '<span></span> <span class="price"></span>';
        div.children[0].textContent = item.title;
        div.children[1].textContent = '\u00a5' + item.price;
        return div;
      }));
      const note = document.createElement('p');
      note.className = 'served-by';
      note.textContent = body.total + ' results, served by ' + servedBy;
      results.append(note);
    } catch (e) {
      results.textContent = 'Search failed: ' + e;
    }
  });
});
