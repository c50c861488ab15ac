import { runService } from "@chorus/chassis/lifecycle";
import { createLogger } from "@chorus/chassis/log";
import { initTelemetry } from "@chorus/chassis/telemetry";
import { loadDispatchConfig } from "./config.js";
import { startDispatchService } from "./service.js";

const config = loadDispatchConfig();
const log = createLogger({ service: "dispatch", level: config.LOG_LEVEL });

await runService({
  name: "dispatch",
  log,
  shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
  async start(shutdown) {
    const telemetry = initTelemetry({
      service: "dispatch",
      otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT,
    });
    shutdown.add("telemetry", () => telemetry.shutdown());
    const service = await startDispatchService(config, { log });
    shutdown.add("dispatch", () => service.stop());
    log.info({ grpcPort: service.grpcPort }, "dispatch listening");
  },
});
