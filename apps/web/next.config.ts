import type { NextConfig } from "next";
import createNextIntlPlugin from "next-intl/plugin";

const isDev = process.env.NODE_ENV === "development";

/**
 * Content Security Policy without nonces: Next.js streams its page data in inline scripts, so
 * scripts are limited to this origin plus inline ones ('unsafe-inline'); a nonce would force
 * every page to render per request through the proxy. Everything else is locked down: no
 * plugins, no foreign frames or base URLs, no framing of the portal, forms post only here (and
 * to GitHub, where the OAuth sign-in goes).
 */
const contentSecurityPolicy = [
  "default-src 'self'",
  // React's development build evaluates code for its debugging stacks; production never does.
  `script-src 'self' 'unsafe-inline'${isDev ? " 'unsafe-eval'" : ""}`,
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob: https://avatars.githubusercontent.com",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self' https://github.com",
  "frame-ancestors 'none'",
].join("; ");

const securityHeaders = [
  { key: "Content-Security-Policy", value: contentSecurityPolicy },
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  // For browsers that predate frame-ancestors.
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=()" },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
  // Browsers ignore HSTS over plain HTTP, so local `next start` is unaffected.
  ...(isDev ? [] : [{ key: "Strict-Transport-Security", value: "max-age=63072000; includeSubDomains" }]),
];

const nextConfig: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Internal packages ship TypeScript source; Next compiles them with the app.
  transpilePackages: ["@twx/config", "@twx/db", "@twx/accounts", "@twx/audit", "@twx/keys", "@twx/ratelimit", "@twx/api", "@twx/rest", "@twx/tokens", "@twx/conversations"],
  // Native-ish server dependencies stay as Node requires instead of being bundled.
  serverExternalPackages: ["pg", "@prisma/adapter-pg", "ioredis", "@electric-sql/pglite", "pino"],
  typedRoutes: false,
  async headers() {
    return [{ source: "/:path*", headers: securityHeaders }];
  },
};

const withNextIntl = createNextIntlPlugin("./i18n/request.ts");

export default withNextIntl(nextConfig);
