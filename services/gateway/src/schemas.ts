import { type TSchema, type TString, Type } from "@sinclair/typebox";

/** Shared TypeBox pieces. Every object schema closes additionalProperties: unknown fields are 400. */
export const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

export const Limit = Type.Integer({
  minimum: 1,
  maximum: 100,
  default: 50,
  description: "Page size (1–100)",
});
export const Cursor = Type.String({ maxLength: 512, description: "The nextCursor of the previous page" });

export const ListQuery = Type.Object(
  { limit: Type.Optional(Limit), cursor: Type.Optional(Cursor) },
  { additionalProperties: false },
);

export const ProblemSchema = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    code: Type.String({ description: "Stable machine-readable error code" }),
    detail: Type.Optional(Type.String()),
    instance: Type.Optional(Type.String()),
    errors: Type.Optional(Type.Array(Type.Object({ field: Type.String(), message: Type.String() }))),
  },
  { $id: "Problem", additionalProperties: true },
);

/** A phone number path parameter, in any common format (normalized to E.164 by the route). */
export const PhoneParam = Type.Object(
  { phone: Type.String({ minLength: 1, maxLength: 40 }) },
  { additionalProperties: false },
);

export const IdParam = <K extends string>(name: K) =>
  Type.Object({ [name]: Type.String({ minLength: 1, maxLength: 128 }) } as Record<K, TString>, {
    additionalProperties: false,
  });

export const IdempotencyHeader = Type.Object({
  "idempotency-key": Type.Optional(
    Type.String({ minLength: 1, maxLength: 255, description: "Makes a POST safe to retry (24 h)" }),
  ),
});

export const partnerSecurity = [{ apiKey: [] }];
export const adminSecurity = [{ adminToken: [] }];
