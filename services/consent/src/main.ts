import { runService } from "@chorus/chassis/lifecycle";
import { createLogger } from "@chorus/chassis/log";
import { initTelemetry } from "@chorus/chassis/telemetry";
import { loadConsentConfig } from "./config.js";
import { startConsentService } from "./service.js";

const config = loadConsentConfig();
const log = createLogger({ service: "consent", level: config.LOG_LEVEL });

// Shutdown (reverse of start): health NOT_SERVING → stop consumer → gRPC shutdown → NATS drain →
// MongoDB close (inside service.stop()) → telemetry flush.
await runService({
  name: "consent",
  log,
  shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
  async start(shutdown) {
    const telemetry = initTelemetry({ service: "consent", otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT });
    shutdown.add("telemetry", () => telemetry.shutdown());
    const service = await startConsentService(config, { log });
    shutdown.add("consent", () => service.stop());
    log.info({ grpcPort: service.grpcPort }, "consent listening");
  },
});
