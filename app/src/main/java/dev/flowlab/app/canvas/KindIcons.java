package dev.flowlab.app.canvas;

import dev.flowlab.topology.NodeKind;
import org.kordamp.ikonli.Ikon;
import org.kordamp.ikonli.materialdesign2.MaterialDesignC;
import org.kordamp.ikonli.materialdesign2.MaterialDesignD;
import org.kordamp.ikonli.materialdesign2.MaterialDesignL;
import org.kordamp.ikonli.materialdesign2.MaterialDesignM;
import org.kordamp.ikonli.materialdesign2.MaterialDesignR;
import org.kordamp.ikonli.materialdesign2.MaterialDesignS;

/** The icon drawn for each node kind (Material Design Icons, via Ikonli). */
public final class KindIcons {
    private KindIcons() {
    }

    public static Ikon of(NodeKind kind) {
        return switch (kind) {
            case CLIENT -> MaterialDesignM.MONITOR;
            case DNS -> MaterialDesignD.DNS;
            case ROUTER -> MaterialDesignR.ROUTER_NETWORK;
            case LVS -> MaterialDesignS.SCALE_BALANCE;
            case NGINX -> MaterialDesignS.SERVER_NETWORK;
            case GATEWAY -> MaterialDesignS.SHIELD_KEY;
            case TOMCAT -> MaterialDesignL.LANGUAGE_JAVA;
            case EXTERNAL -> MaterialDesignC.CLOUD_OUTLINE;
        };
    }
}
