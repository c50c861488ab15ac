import { AREA_CODE_ROWS, EXCHANGE_ZONES, REGION_ZONES } from "./nanp-data.js";

export { NANP_TABLE_SOURCE } from "./nanp-data.js";

/** "US" (states, DC, territories), "CA", or the ISO code of another NANP country. */
export type NanpCountry = "US" | "CA" | (string & {});

export type NanpLocation = {
  areaCode: string;
  /**
   * Two-letter state/province/territory code; the first of `regions` for a shared area code. For
   * other NANP countries it repeats the country code, which can look like a state (Cayman "KY",
   * Montserrat "MS"): check `country` before applying state rules.
   */
  region: string;
  /** Every region the area code serves; one except Canada's 902/782 (NS, PE) and 867 (NT, NU, YT). */
  regions: string[];
  country: NanpCountry;
  /** Every IANA zone the number may be in; quiet hours must hold in all of them. */
  timeZones: string[];
  /** Whether a known exchange narrowed the zones, or they are the area code's full candidate list. */
  precision: "exchange" | "area-code";
};

type AreaCodeInfo = { regions: readonly string[]; country: string; zones: readonly string[] };

const AREA_CODES = buildAreaCodes();
const ZONES_BY_REGION = buildRegionZones();

const NANP_E164 = /^\+1([2-9][0-9]{2})([2-9][0-9]{2})[0-9]{4}$/;

/**
 * Where a NANP number (E.164, +1NPANXXXXXX) is, from its area code and, for a few well-known
 * exchanges, its exchange. Undefined for non-NANP numbers and unassigned or non-geographic area
 * codes (toll-free, 5XX personal numbers). Ported numbers keep their area code, so this is evidence
 * of the recipient's location, not proof.
 */
export function lookupNanp(e164: string): NanpLocation | undefined {
  const match = NANP_E164.exec(e164);
  if (!match) return undefined;
  const areaCode = match[1]!;
  const info = AREA_CODES.get(areaCode);
  if (!info) return undefined;
  const exchange = EXCHANGE_ZONES[areaCode + match[2]!];
  return {
    areaCode,
    region: info.regions[0]!,
    regions: [...info.regions],
    country: info.country,
    timeZones: [...(exchange ? exchange[0] : info.zones)],
    precision: exchange ? "exchange" : "area-code",
  };
}

/**
 * Every zone a US state, DC, US territory or Canadian province/territory (two-letter code, e.g.
 * "FL", "ON", "PR") spans, for when a contact's state is known. Empty for an unknown region; other
 * NANP countries are not regions here (their codes collide with states), use `lookupNanp`.
 */
export function zonesForRegion(region: string): string[] {
  return [...(ZONES_BY_REGION.get(region.trim().toUpperCase()) ?? [])];
}

/** Every area code in the table (for tests and reports). */
export function nanpAreaCodes(): string[] {
  return [...AREA_CODES.keys()].sort();
}

function buildAreaCodes(): Map<string, AreaCodeInfo> {
  const map = new Map<string, AreaCodeInfo>();
  for (const [country, regions, zones, codes] of AREA_CODE_ROWS) {
    const info = { regions: regions.split(" "), country, zones };
    for (const code of codes.split(/\s+/)) {
      // A duplicate would silently drop one row's zones; fail at load instead.
      if (map.has(code)) throw new Error(`nanp-data: area code ${code} listed twice`);
      map.set(code, info);
    }
  }
  return map;
}

function buildRegionZones(): Map<string, readonly string[]> {
  const union = new Map<string, Set<string>>();
  for (const info of AREA_CODES.values()) {
    if (info.country !== "US" && info.country !== "CA") continue;
    for (const region of info.regions) {
      const zones = union.get(region) ?? new Set<string>();
      for (const zone of info.zones) zones.add(zone);
      union.set(region, zones);
    }
  }
  const result = new Map<string, readonly string[]>();
  for (const [region, zones] of union) result.set(region, REGION_ZONES[region] ?? [...zones]);
  return result;
}
