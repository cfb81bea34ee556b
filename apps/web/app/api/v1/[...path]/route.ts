// Any other path under /api/v1: 404 not_found in the API's error envelope (not the portal's page).
import { unknownApiPath } from "@twx/rest/next";

export const dynamic = "force-dynamic";
export const { GET, POST, PUT, PATCH, DELETE } = unknownApiPath();
