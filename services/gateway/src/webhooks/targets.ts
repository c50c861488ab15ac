import { lookup } from "node:dns/promises";
import { BlockList, isIP } from "node:net";

/** Loopback, private, link-local, CGNAT, multicast, reserved: never a webhook target by default. */
const blocked = new BlockList();
for (const [net, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const) {
  blocked.addSubnet(net, prefix, "ipv4");
}
for (const [net, prefix] of [
  ["::", 128],
  ["::1", 128],
  ["fc00::", 7],
  ["fe80::", 10],
  ["ff00::", 8],
  ["64:ff9b::", 96],
] as const) {
  blocked.addSubnet(net, prefix, "ipv6");
}

export function isPrivateAddress(ip: string): boolean {
  const v = isIP(ip);
  if (v === 4) return blocked.check(ip, "ipv4");
  if (v === 6) {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
    if (mapped) return blocked.check(mapped[1]!, "ipv4");
    return blocked.check(ip, "ipv6");
  }
  return true;
}

export class TargetError extends Error {}

/**
 * Which webhook URLs may be called. Checked when a subscription is made AND at every delivery,
 * after DNS resolution (the delivery connects to the address that was checked).
 */
export class TargetPolicy {
  readonly #allowed: Set<string>;
  constructor(private readonly opts: { allowedHosts: string[]; allowPrivate: boolean }) {
    this.#allowed = new Set(opts.allowedHosts.map((h) => h.toLowerCase()));
  }

  #hostAllowed(host: string) {
    return this.opts.allowPrivate || this.#allowed.has(host.toLowerCase());
  }

  /** Validates the URL's form (https unless allowlisted/dev) and that it resolves to public addresses. */
  async checkUrl(raw: string): Promise<URL> {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new TargetError("not a valid URL");
    }
    if (url.protocol !== "https:" && url.protocol !== "http:") throw new TargetError("must be an https URL");
    if (url.username || url.password) throw new TargetError("must not carry credentials");
    const host = url.hostname.replace(/^\[|\]$/g, "");
    if (url.protocol === "http:" && !this.#hostAllowed(host)) throw new TargetError("must be an https URL");
    await this.resolve(host);
    return url;
  }

  /** The addresses to connect to for `host`; throws when any is private and the host isn't allowed. */
  async resolve(host: string): Promise<{ address: string; family: number }[]> {
    const h = host.replace(/^\[|\]$/g, "");
    const addrs = isIP(h)
      ? [{ address: h, family: isIP(h) }]
      : await lookup(h, { all: true }).catch(() => {
          throw new TargetError("host does not resolve");
        });
    if (!addrs.length) throw new TargetError("host does not resolve");
    if (!this.#hostAllowed(h) && addrs.some((a) => isPrivateAddress(a.address))) {
      throw new TargetError("resolves to a private or loopback address");
    }
    return addrs;
  }
}
