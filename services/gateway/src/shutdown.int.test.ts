import { connect } from "node:net";
import { describe, expect, test } from "@chorus/testing";
import { startTestGateway } from "./test-support.js";

describe("gateway shutdown", () => {
  test("a client that connected but never finished its request cannot hold up the stop", async ({
    infra,
  }) => {
    const t = await startTestGateway(infra, { SHUTDOWN_TIMEOUT_MS: "2000" });
    const socket = connect(t.gw.httpPort, "127.0.0.1");
    await new Promise((r) => socket.once("connect", r));
    socket.write("POST /v1/carrier/bandwidth/callbacks HTTP/1.1\r\nHost: x\r\n"); // never finished
    const cut = new Promise<void>((r) => socket.once("close", () => r()));
    await new Promise((r) => setTimeout(r, 50));
    // Without the cut the HTTP close waits for the headers timeout (60 s), past this test's limit.
    await t.stop();
    await cut;
    expect(socket.destroyed).toBe(true);
    expect(t.gw.app.server.listening).toBe(false);
  });
});
