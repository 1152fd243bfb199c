/**
 * What every baseline shares without a database: settings from the environment, the id check and
 * the same access-token verification as the generated services (jose, HS256 pinned, `typ`,
 * issuer, audience, required claims).
 */
import { jwtVerify } from 'jose';

export const env = {
  port: Number(process.env.PORT ?? 3000),
  databaseUrl: required('DATABASE_URL'),
  jwtKey: new TextEncoder().encode(required('JWT_SECRET')),
  issuer: process.env.JWT_ISSUER ?? 'shop',
  audience: process.env.JWT_AUDIENCE ?? 'shop',
};

function required(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`${name} is required`);
  return value;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** The same checks as the generated services' access-token verification. */
export async function authorized(header: string | undefined): Promise<boolean> {
  const token =
    header === undefined ? undefined : /^Bearer ([A-Za-z0-9._~+/=-]+)$/.exec(header)?.[1];
  if (token === undefined) return false;
  try {
    await jwtVerify(token, env.jwtKey, {
      algorithms: ['HS256'],
      issuer: env.issuer,
      audience: env.audience,
      typ: 'at+jwt',
      requiredClaims: ['sub', 'iat', 'exp'],
    });
    return true;
  } catch {
    return false;
  }
}

/** The list's opaque cursor, as the generated services encode it. */
export function encodeCursor(id: string): string {
  return Buffer.from(JSON.stringify({ id })).toString('base64url');
}
