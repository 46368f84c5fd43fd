package dev.flowlab.topology;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A keepalived VRRP instance shared by a group of nodes (an active-standby Nginx pair, an LVS
 * pair): the virtual IP that only the master holds, the members with their priorities, the advert
 * interval and an optional {@code track_script} that checks each member's local service. Names and
 * defaults are keepalived's; scenarios may shorten the interval for demos. Members start as BACKUP
 * and the first master is elected when the highest priority's master_down_interval runs out.
 *
 * <p>{@code vip} is "host" or "host:port" on loopback; without it (or with port 0) the lab picks one
 * when it starts. Links, DNS A records and upstreams that name a member reach the group's VIP.
 */
@JsonPropertyOrder({"id", "vip", "virtual_router_id", "advert_int", "vrrp_version", "members", "track_script"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HaGroup(
        String id,
        @Param(doc = "virtual_ipaddress: the address only the master holds (host or host:port on loopback; empty: chosen by the lab)")
        String vip,
        @JsonProperty("virtual_router_id")
        @Param(def = "51", min = 1, max = 255, doc = "virtual_router_id: the VRRP router id carried in every advert (1..255)")
        Integer virtualRouterId,
        @JsonProperty("advert_int")
        @Param(def = "1s", unit = "duration", doc = "advert_int: how often the master advertises; backups declare it dead after "
                + "master_down_interval = 3 * advert_int + skew, and a starting member (below priority 255) waits that long "
                + "before it claims the VIP")
        Duration advertInt,
        @JsonProperty("vrrp_version")
        @Param(def = "2", min = 2, max = 3, doc = "vrrp_version: 2 (keepalived's default) carries advert_int in whole seconds and "
                + "skew = (256 - priority)/256 s; 3 allows centisecond adverts and skew = (256 - priority) * advert_int / 256")
        Integer vrrpVersion,
        List<HaMember> members,
        @JsonProperty("track_script")
        TrackScript trackScript) {

    public HaGroup {
        members = members == null ? List.of() : List.copyOf(members);
    }

    @JsonIgnore
    public Optional<HaMember> member(String nodeId) {
        return members.stream().filter(m -> nodeId.equals(m.node())).findFirst();
    }

    /**
     * keepalived's {@code master_down_interval} as a backup of this priority computes it:
     * {@code 3 * advert_int + skew}, skew from the VRRP version's own formula.
     */
    public static Duration masterDownInterval(Duration advertInt, int priority, int vrrpVersion) {
        return advertInt.multipliedBy(3).plus(skew(advertInt, priority, vrrpVersion));
    }

    /** VRRPv2 (RFC 3768): (256 - priority)/256 s; VRRPv3 (RFC 5798): (256 - priority) * advert_int / 256. */
    public static Duration skew(Duration advertInt, int priority, int vrrpVersion) {
        long unit = vrrpVersion >= 3 ? advertInt.toNanos() : 1_000_000_000L;
        return Duration.ofNanos((256L - priority) * unit / 256L);
    }
}
