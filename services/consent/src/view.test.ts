import { describe, expect, it } from "vitest";
import { StatusTable } from "./view.js";

describe("StatusTable (the consent view's compact status store)", () => {
  it("answers exactly what a Map of the same rows answers, for several orgs, then with changes on top", () => {
    const rows: Array<{ _id: string; status: "opted_in" | "opted_out" }> = [];
    const expected = new Map<string, string>();
    let seed = 7;
    const rand = () => {
      seed = (seed * 48271) % 2147483647;
      return seed / 2147483647;
    };
    for (let i = 0; i < 5_000; i++) {
      const org = `org_${i % 3}`;
      const phone = `+1${String(2_000_000_000 + Math.floor(rand() * 7_999_999_999)).slice(0, 10)}`;
      const status = rand() < 0.3 ? "opted_out" : "opted_in";
      if (expected.has(`${org}:${phone}`)) continue;
      rows.push({ _id: `${org}:${phone}`, status });
      expected.set(`${org}:${phone}`, status);
    }
    // Longest E.164 (15 digits) and an id that is not org:+digits are kept too.
    rows.push({ _id: "org_0:+999999999999999", status: "opted_out" });
    expected.set("org_0:+999999999999999", "opted_out");
    rows.push({ _id: "org:with:colons:+14155550123", status: "opted_out" });
    expected.set("org:with:colons:+14155550123", "opted_out");

    const table = StatusTable.build(rows);
    expect(table.size).toBe(expected.size);
    for (const [id, status] of expected) {
      const cut = id.lastIndexOf(":");
      expect(table.get(id.slice(0, cut), id.slice(cut + 1))).toBe(status);
    }
    // Unknown numbers and other orgs' numbers are not found.
    const [someId] = expected.keys();
    const phone = (someId as string).slice((someId as string).lastIndexOf(":") + 1);
    expect(table.get("org_other", phone)).toBeUndefined();
    expect(table.get("org_0", "+12025550100")).toBeUndefined();

    // Changes since the load win over the loaded value, both ways.
    const [first] = rows;
    if (!first) throw new Error("no rows");
    const [org, p] = [
      first._id.slice(0, first._id.lastIndexOf(":")),
      first._id.slice(first._id.lastIndexOf(":") + 1),
    ];
    table.set(org, p, first.status === "opted_in" ? "opted_out" : "opted_in");
    expect(table.get(org, p)).toBe(first.status === "opted_in" ? "opted_out" : "opted_in");
    table.set(org, p, "unknown");
    expect(table.get(org, p)).toBeUndefined();
    table.set("org_new", "+12025550100", "opted_out");
    expect(table.get("org_new", "+12025550100")).toBe("opted_out");
  });
});
