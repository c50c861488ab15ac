// `npm run infra`: only the infrastructure (nats-server + FerretDB) on 127.0.0.1, with data under
// .data/dev, for running services by hand (`npx tsx services/<name>/src/main.ts`). Ctrl-C stops it.
// `npm run infra -- build` just finds or builds the pinned binaries and exits.
import { join } from "node:path";
import { dataRoot, ensureTool, startFerretDb, startNats } from "@chorus/infra";

if (process.argv.includes("build")) {
  for (const tool of ["nats-server", "ferretdb", "k6"] as const)
    console.log(`${tool}: ${await ensureTool(tool)}`);
  process.exit(0);
}
const nats = await startNats({
  port: Number(process.env.CHORUS_NATS_PORT ?? 4222),
  dataDir: join(dataRoot, "dev", "nats"),
});
const mongo = await startFerretDb({
  port: Number(process.env.CHORUS_MONGO_PORT ?? 27017),
  dataDir: join(dataRoot, "dev", "ferretdb"),
});
console.log(`NATS_URL=${nats.url}\nMONGO_URL=${mongo.url}\nCtrl-C stops both.`);
const stop = async () => {
  await Promise.all([nats.stop(), mongo.stop()]);
  process.exit(0);
};
process.on("SIGINT", () => void stop());
process.on("SIGTERM", () => void stop());
