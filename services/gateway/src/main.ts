import { runService } from "@chorus/chassis/lifecycle";
import { createLogger } from "@chorus/chassis/log";
import { initTelemetry } from "@chorus/chassis/telemetry";
import { loadGatewayConfig } from "./config.js";
import { startGatewayService } from "./service.js";

const config = loadGatewayConfig();
const log = createLogger({ service: "gateway", level: config.LOG_LEVEL });

await runService({
  name: "gateway",
  log,
  shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
  start: async (shutdown) => {
    const telemetry = initTelemetry({ service: "gateway", otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT });
    shutdown.add("telemetry", () => telemetry.shutdown());
    const gateway = await startGatewayService(config, { log });
    shutdown.add("gateway", () => gateway.stop());
  },
});
