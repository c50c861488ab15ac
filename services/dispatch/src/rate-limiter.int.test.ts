import { describe, expect, test } from "@chorus/testing";
import { MongoClient } from "mongodb";
import { RateLimiter } from "./rate-limiter.js";

describe("shared rate limiter", () => {
  test("a window is known to be full only after this process found all its slots taken", async ({
    infra,
  }) => {
    const client = new MongoClient(infra.mongoUrl);
    try {
      const db = client.db(infra.dbName);
      const here = new RateLimiter(db);
      const elsewhere = new RateLimiter(db); // another replica
      await here.init();
      const t = 1_800_000_000_250; // 250 ms into a second
      expect(here.knownFull("number:+1", 3, t)).toBe(0);
      expect((await elsewhere.take("number:+1", 3, t)).ok).toBe(true);
      expect((await here.take("number:+1", 3, t)).ok).toBe(true);
      expect(here.knownFull("number:+1", 3, t)).toBe(0); // one slot left
      expect((await elsewhere.take("number:+1", 3, t)).ok).toBe(true);
      expect(here.knownFull("number:+1", 3, t)).toBe(0); // full, but this process has not seen it
      expect(await here.take("number:+1", 3, t + 100)).toEqual({ ok: false, retryAfterMs: 650 });
      expect(here.knownFull("number:+1", 3, t + 100)).toBe(650);
      expect(here.knownFull("number:+2", 3, t + 100)).toBe(0); // another key
      expect(here.knownFull("number:+1", 0, t + 100)).toBe(0); // no limit
      expect(here.knownFull("number:+1", 3, t + 800)).toBe(0); // the next second
      expect((await here.take("number:+1", 3, t + 800)).ok).toBe(true);
    } finally {
      await client.close();
    }
  });
});
