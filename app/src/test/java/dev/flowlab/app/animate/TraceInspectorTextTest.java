package dev.flowlab.app.animate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowlab.net.rpc.RpcFrame;
import dev.flowlab.event.RpcFrameCapture;
import dev.flowlab.net.rpc.RpcWire;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The RPC frame section's text, without the toolkit: fields in wire order beside the bytes. */
class TraceInspectorTextTest {

    @Test
    void frame_fieldsBesideItsBytes_longValuesCutToTheColumn() {
        Map<String, String> att = new LinkedHashMap<>();
        att.put("user-agent", "RequestFlowLab/0.1");
        att.put("x-long", "z".repeat(300));
        RpcFrame call = RpcFrame.request(5368, "trace-91b5", "GET", "/api/item/558", Map.of(), att, new byte[0]);
        ByteBuf wire = Unpooled.buffer();
        RpcWire.encode(call, wire);
        RpcFrameCapture c = dev.flowlab.net.rpc.RpcTap.capture("request received", "127.0.40.3:8080 -> 127.0.30.1:38339", call, wire, 0, wire.readableBytes());
        wire.release();

        List<String> lines = TraceInspector.describeFrame(c).lines().toList();

        assertThat(lines.get(0)).isEqualTo("=== RPC request received · " + c.frameBytes()
                + " B on the wire · 127.0.40.3:8080 -> 127.0.30.1:38339");
        assertThat(lines.get(1)).startsWith("header      0xf10b v1 REQUEST(1) length " + (c.frameBytes() - 8))
                .endsWith("first " + RpcFrameCapture.MAX_HEAD_BYTES + " of " + c.frameBytes() + " bytes:");
        assertThat(lines.get(lines.size() - 1)).endsWith("... " + (c.frameBytes() - RpcFrameCapture.MAX_HEAD_BYTES) + " more bytes");
        assertThat(lines.get(2)).startsWith("requestId   5368 (correlation id)").contains("0000  f1 0b 01 01 ");
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("service     /api/item/558"));
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("  x-long: zzz").contains("…  "));
        for (String l : lines.subList(1, lines.size())) {
            if (l.length() > TraceInspector.FIELD_COLUMN + 2 && l.contains("|")) {
                assertThat(l.substring(TraceInspector.FIELD_COLUMN + 2)).matches("(first .*|[0-9a-f]{4}  .*)");
            }
        }
    }
}
