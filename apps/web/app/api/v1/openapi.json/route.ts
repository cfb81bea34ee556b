// GET /api/v1/openapi.json
import { restRoute } from "@twx/rest/next";

export const dynamic = "force-dynamic";
export const { GET, POST, PUT, PATCH, DELETE } = restRoute("/openapi.json");
