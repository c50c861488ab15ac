import { type PhoneNumber, parsePhoneNumber } from "libphonenumber-js/max";
import { describe, expect, it } from "vitest";
import { lookupNanp, NANP_TABLE_SOURCE, nanpAreaCodes, zonesForRegion } from "./nanp.js";
import {
  AHEAD_OF_PHONE_METADATA,
  AREA_CODE_ROWS,
  EXCHANGE_ZONES,
  REGION_ZONES,
  UNPLACED_AREA_CODES,
} from "./nanp-data.js";
import { normalizePhone } from "./phone.js";

const ET = "America/New_York";
const CT = "America/Chicago";
const MT = "America/Denver";
const PT = "America/Los_Angeles";
const INDIANA = "America/Indiana/Indianapolis";

const sorted = (zones: readonly string[] | undefined) => [...(zones ?? [])].sort();

describe("lookupNanp: spot checks", () => {
  it.each([
    // [number, region, country, zones]
    ["+12124567890", "NY", "US", [ET]],
    ["+14155552671", "CA", "US", [PT]],
    ["+13125550100", "IL", "US", [CT]],
    ["+13035550100", "CO", "US", [MT]],
    ["+18085550100", "HI", "US", ["Pacific/Honolulu"]],
    ["+12025550100", "DC", "US", [ET]],
    ["+13055550100", "FL", "US", [ET]],
    ["+14695550100", "TX", "US", [CT]],
    ["+13175550100", "IN", "US", [INDIANA]],
    ["+13135550100", "MI", "US", ["America/Detroit"]],
    // Arizona: no DST, except the Navajo Nation inside 928.
    ["+16025550100", "AZ", "US", ["America/Phoenix"]],
    ["+14805550100", "AZ", "US", ["America/Phoenix"]],
    ["+19285550100", "AZ", "US", ["America/Phoenix", MT]],
    // Area codes spanning zones list every candidate.
    ["+18502220100", "FL", "US", [CT, ET]],
    ["+14482220100", "FL", "US", [CT, ET]],
    ["+12192220100", "IN", "US", [CT, INDIANA]],
    ["+15742220100", "IN", "US", [CT, INDIANA]],
    ["+18122220100", "IN", "US", [CT, INDIANA]],
    ["+19302220100", "IN", "US", [CT, INDIANA]],
    ["+12702220100", "KY", "US", [CT, ET]],
    ["+16062220100", "KY", "US", [CT, ET]],
    ["+14232220100", "TN", "US", [CT, ET]],
    ["+19312220100", "TN", "US", [CT, ET]],
    ["+12082220100", "ID", "US", ["America/Boise", PT]],
    ["+19862220100", "ID", "US", ["America/Boise", PT]],
    ["+15412220100", "OR", "US", ["America/Boise", PT]],
    ["+14582220100", "OR", "US", ["America/Boise", PT]],
    ["+16052220100", "SD", "US", [CT, MT]],
    ["+13082220100", "NE", "US", [CT, MT]],
    ["+14022220100", "NE", "US", [CT]],
    ["+16202220100", "KS", "US", [CT, MT]],
    ["+17852220100", "KS", "US", [CT, MT]],
    ["+19155550100", "TX", "US", [MT]],
    ["+19062220100", "MI", "US", ["America/Detroit", "America/Menominee"]],
    ["+17752220100", "NV", "US", [MT, PT]],
    [
      "+17012220100",
      "ND",
      "US",
      [
        CT,
        MT,
        "America/North_Dakota/Beulah",
        "America/North_Dakota/Center",
        "America/North_Dakota/New_Salem",
      ],
    ],
    ["+19072220100", "AK", "US", expect.arrayContaining(["America/Anchorage", "America/Adak"])],
    // Recent overlays take their parent's geography.
    ["+16452220100", "FL", "US", [ET]],
    ["+19432220100", "GA", "US", [ET]],
    ["+18352220100", "PA", "US", [ET]],
    ["+17292220100", "TN", "US", [CT, ET]],
    // Territories: country US (federal rules), USPS code as region.
    ["+17875550100", "PR", "US", ["America/Puerto_Rico"]],
    ["+19395550100", "PR", "US", ["America/Puerto_Rico"]],
    ["+16715550100", "GU", "US", ["Pacific/Guam"]],
    ["+13405550100", "VI", "US", ["America/St_Thomas"]],
    ["+16845550100", "AS", "US", ["Pacific/Pago_Pago"]],
    ["+16705550100", "MP", "US", ["Pacific/Saipan"]],
    // Canada.
    ["+14169791234", "ON", "CA", ["America/Toronto"]],
    ["+15145550100", "QC", "CA", ["America/Toronto"]],
    ["+16045550100", "BC", "CA", ["America/Vancouver"]],
    ["+14035550100", "AB", "CA", ["America/Edmonton"]],
    ["+15065550100", "NB", "CA", ["America/Moncton"]],
    ["+17095550100", "NL", "CA", ["America/Goose_Bay", "America/St_Johns"]],
    ["+18072220100", "ON", "CA", ["America/Atikokan", "America/Toronto", "America/Winnipeg"]],
    // Other NANP countries.
    ["+18765550100", "JM", "JM", ["America/Jamaica"]],
    ["+18095550100", "DO", "DO", ["America/Santo_Domingo"]],
  ])("%s → %s", (e164, region, country, zones) => {
    const location = lookupNanp(e164);
    expect(location).toMatchObject({ areaCode: e164.slice(2, 5), region, country, precision: "area-code" });
    expect(sorted(location?.timeZones)).toEqual(Array.isArray(zones) ? sorted(zones) : zones);
  });

  it("keeps Cayman and Montserrat apart from Kentucky and Mississippi by country", () => {
    expect(lookupNanp("+13455550100")).toMatchObject({
      region: "KY",
      country: "KY",
      timeZones: ["America/Cayman"],
    });
    expect(lookupNanp("+16645550100")).toMatchObject({ region: "MS", country: "MS" });
    expect(zonesForRegion("MS")).toEqual([CT]);
  });

  it("lists every region of a shared area code", () => {
    expect(lookupNanp("+19025550100")).toMatchObject({ region: "NS", regions: ["NS", "PE"], country: "CA" });
    expect(lookupNanp("+18675550100")?.regions.sort()).toEqual(["NT", "NU", "YT"]);
  });

  it("returns undefined for unknown area codes, non-geographic codes and non-NANP numbers", () => {
    expect(lookupNanp("+19994567890")).toBeUndefined(); // unassigned
    expect(lookupNanp("+12735550100")).toBeUndefined(); // assigned in Canada, not placed yet
    expect(lookupNanp("+18005550199")).toBeUndefined(); // toll-free
    expect(lookupNanp("+15005550100")).toBeUndefined(); // personal communications
    expect(lookupNanp("+442079460018")).toBeUndefined();
    expect(lookupNanp("+33612345678")).toBeUndefined();
  });

  it("returns undefined for anything that is not NANP E.164", () => {
    for (const input of [
      "2124567890",
      "12124567890",
      "+1212456789",
      "+121245678901",
      "+1 212 456 7890",
      "",
    ]) {
      expect(lookupNanp(input)).toBeUndefined();
    }
    expect(lookupNanp("+12121234567")).toBeUndefined(); // exchange cannot start with 1
  });

  it("returns fresh arrays so callers cannot corrupt the table", () => {
    lookupNanp("+18502220100")?.timeZones.push("Europe/London");
    zonesForRegion("FL").push("Europe/London");
    expect(lookupNanp("+18502220100")?.timeZones).not.toContain("Europe/London");
    expect(zonesForRegion("FL")).not.toContain("Europe/London");
  });
});

describe("lookupNanp with normalizePhone", () => {
  it("locates a number typed in national format", () => {
    const phone = normalizePhone("(850) 644-1234");
    expect(phone.ok && lookupNanp(phone.e164)).toMatchObject({ region: "FL", timeZones: [ET] });
  });
});

describe("lookupNanp: exchange overrides", () => {
  it("pins known 850 exchanges to one side of the Panhandle's zone line", () => {
    expect(lookupNanp("+18506441234")).toMatchObject({ timeZones: [ET], precision: "exchange" }); // FSU
    expect(lookupNanp("+18504341234")).toMatchObject({ timeZones: [CT], precision: "exchange" }); // Pensacola
  });

  it("pins Idaho, Michigan and Labrador examples", () => {
    expect(lookupNanp("+12088851234")?.timeZones).toEqual([PT]);
    expect(lookupNanp("+12084261234")?.timeZones).toEqual(["America/Boise"]);
    expect(lookupNanp("+19067741234")?.timeZones).toEqual(["America/Menominee"]);
    expect(lookupNanp("+17098961234")?.timeZones).toEqual(["America/Goose_Bay"]);
  });

  it("falls back to the area code's full list for other exchanges", () => {
    expect(lookupNanp("+18502221234")).toMatchObject({ precision: "area-code" });
    expect(sorted(lookupNanp("+18502221234")?.timeZones)).toEqual([CT, ET]);
  });
});

describe("zonesForRegion", () => {
  it.each([
    ["NY", [ET]],
    ["CA", [PT]],
    ["FL", [CT, ET]],
    ["fl", [CT, ET]],
    ["AZ", ["America/Phoenix", MT]],
    ["TX", [CT, MT]],
    ["KY", [CT, ET]],
    ["HI", ["Pacific/Honolulu"]],
    ["PR", ["America/Puerto_Rico"]],
    ["ON", ["America/Atikokan", "America/Toronto", "America/Winnipeg"]],
    ["PE", ["America/Halifax"]],
    ["YT", ["America/Dawson", "America/Whitehorse"]],
  ])("%s → %j", (region, zones) => {
    expect(sorted(zonesForRegion(region))).toEqual(sorted(zones));
  });

  it("is empty for an unknown region and for other NANP countries", () => {
    expect(zonesForRegion("ZZ")).toEqual([]);
    expect(zonesForRegion("JM")).toEqual([]);
    expect(zonesForRegion("")).toEqual([]);
  });

  it("covers all 50 states and DC", () => {
    const states =
      "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND " +
      "OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY";
    for (const state of states.split(" ")) expect(zonesForRegion(state), state).not.toEqual([]);
  });
});

describe("nanp-data integrity", () => {
  it("names its source", () => {
    expect(NANP_TABLE_SOURCE).toMatch(/NANPA/);
  });

  it("uses only zones the runtime's tz database knows", () => {
    const zones = new Set<string>();
    for (const row of AREA_CODE_ROWS) for (const zone of row[2]) zones.add(zone);
    for (const [override] of Object.values(EXCHANGE_ZONES)) for (const zone of override) zones.add(zone);
    for (const zone of zones)
      expect(() => new Intl.DateTimeFormat("en-US", { timeZone: zone }), zone).not.toThrow();
  });

  it("has well-formed rows: three-digit codes, two-letter regions, no duplicate zones", () => {
    for (const [country, regions, zones, codes] of AREA_CODE_ROWS) {
      expect(country).toMatch(/^[A-Z]{2}$/);
      for (const region of regions.split(" ")) expect(region).toMatch(/^[A-Z]{2}$/);
      for (const code of codes.split(/\s+/)) expect(code).toMatch(/^[2-9][0-9]{2}$/);
      expect(new Set(zones).size).toBe(zones.length);
    }
  });

  it("only narrows zones with exchange overrides, never adds one", () => {
    for (const [key, [zones, place]] of Object.entries(EXCHANGE_ZONES)) {
      expect(key, place).toMatch(/^[2-9][0-9]{2}[2-9][0-9]{2}$/);
      const row = AREA_CODE_ROWS.find((r) => r[3].split(/\s+/).includes(key.slice(0, 3)));
      expect(row, key).toBeDefined();
      expect(zones.length, key).toBeLessThan(row?.[2].length ?? 0);
      for (const zone of zones) expect(row?.[2], `${key} ${place}`).toContain(zone);
    }
  });

  it("gives explicit region zones only within the region's area codes", () => {
    for (const [region, zones] of Object.entries(REGION_ZONES)) {
      const rows = AREA_CODE_ROWS.filter((row) => row[1].split(" ").includes(region));
      const allowed = new Set(rows.flatMap((row) => row[2]));
      for (const zone of zones) expect(allowed.has(zone), `${region} ${zone}`).toBe(true);
    }
  });

  // Walks every NPA against libphonenumber's full metadata so a metadata upgrade that adds an area
  // code fails here until the table places it. NPAs outside the table are probed with every 7th
  // exchange (a full scan takes ~10 s); table NPAs the sample misses get a full scan.
  it("places every geographic area code libphonenumber considers valid, with a matching country", () => {
    const inTable = new Set(nanpAreaCodes());
    const missing: string[] = [];
    const validInMetadata = new Set<string>();
    for (let npa = 200; npa <= 999; npa++) {
      const code = String(npa);
      const phone = firstGeographic(code, 7) ?? (inTable.has(code) ? firstGeographic(code, 1) : undefined);
      if (!phone) continue;
      validInMetadata.add(code);
      if (!inTable.has(code)) missing.push(code);
      else {
        const territory = ["US", "PR", "VI", "GU", "AS", "MP"].includes(phone.country ?? "");
        expect(lookupNanp(phone.number)?.country, code).toBe(territory ? "US" : phone.country);
      }
    }
    expect(missing).toEqual(UNPLACED_AREA_CODES);
    expect([...inTable].filter((code) => !validInMetadata.has(code))).toEqual(AHEAD_OF_PHONE_METADATA);
  });
});

const GEOGRAPHIC = new Set(["FIXED_LINE", "MOBILE", "FIXED_LINE_OR_MOBILE"]);

function firstGeographic(npa: string, step: number): PhoneNumber | undefined {
  for (let nxx = 200; nxx <= 999; nxx += step) {
    const phone = parsePhoneNumber(`+1${npa}${nxx}2345`);
    if (phone.isValid() && GEOGRAPHIC.has(phone.getType() ?? "")) return phone;
  }
  return undefined;
}
