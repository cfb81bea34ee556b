// POST, GET /api/v1/auth/api-keys
import { restRoute } from "@twx/rest/next";

export const dynamic = "force-dynamic";
export const { GET, POST, PUT, PATCH, DELETE } = restRoute("/auth/api-keys");
