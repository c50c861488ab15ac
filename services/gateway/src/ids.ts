import { randomBytes } from "node:crypto";

/** Roughly time-ordered ids (so `_id` order is creation order for cursors): prefix, ms time, random. */
export function newId(prefix: string): string {
  return `${prefix}_${Date.now().toString(16).padStart(12, "0")}${randomBytes(8).toString("hex")}`;
}

/** A high-entropy secret, URL-safe, no dots. */
export function newSecret(bytes = 32): string {
  return randomBytes(bytes).toString("base64url");
}
