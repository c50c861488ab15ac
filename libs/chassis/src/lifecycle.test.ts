import { createServer } from "node:http";
import { connect } from "node:net";
import { describe, expect, it } from "vitest";
import { closeHttp } from "./lifecycle.js";

describe("closeHttp", () => {
  it("cuts a connection that never finishes its request, instead of waiting a minute for it", async () => {
    const server = createServer((_req, res) => res.end("ok"));
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const { port } = server.address() as { port: number };
    const socket = connect(port, "127.0.0.1");
    await new Promise((r) => socket.once("connect", r));
    socket.write("POST /v1/messages HTTP/1.1\r\nHost: x\r\n"); // headers never finished
    const cut = new Promise<void>((r) => socket.once("close", () => r()));
    await new Promise((r) => setTimeout(r, 50));

    // Without the cut, server.close() waits for the headers timeout (60 s): past this test's limit.
    await closeHttp({ close: () => new Promise<void>((r) => server.close(() => r())), server }, 200);
    await cut;
    expect(server.listening).toBe(false);
    expect(socket.destroyed).toBe(true);
  });
});
