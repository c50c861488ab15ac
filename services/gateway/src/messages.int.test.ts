import { describe, expect, test } from "@chorus/testing";
import { bearer, startTestGateway } from "./test-support.js";

describe("POST /v1/messages", () => {
  test("accepts a text to a national-format number and answers 202 with E.164", async ({ infra }) => {
    const t = await startTestGateway(infra);
    try {
      const { key } = await t.org();
      const res = await t.inject({
        method: "POST",
        url: "/v1/messages",
        headers: bearer(key),
        payload: { to: "(202) 555-0143", text: "Polls open at 7" },
      });
      expect(res.statusCode).toBe(202);
      const body = res.json();
      expect(body).toMatchObject({ status: "accepted", to: "+12025550143", segments: 1, encoding: "GSM-7" });
      expect(body.id).toMatch(/^msg_/);
      expect(t.fakes.calls.sendMessage[0]).toMatchObject({
        to: "+12025550143",
        purpose: "PURPOSE_MARKETING",
      });
    } finally {
      await t.stop();
    }
  });
});
