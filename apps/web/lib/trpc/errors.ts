import type { FieldErrors } from "@twx/api";

/** The pieces of a tRPC error a form needs; null for anything else. */
export function trpcErrorDetails(error: unknown): { httpStatus?: number; fieldErrors: FieldErrors | null; message: string } | null {
  if (!error || typeof error !== "object" || !("data" in error)) return null;
  const data = (error as { data?: { httpStatus?: number; fieldErrors?: FieldErrors | null } }).data;
  return {
    httpStatus: data?.httpStatus,
    fieldErrors: data?.fieldErrors ?? null,
    message: (error as { message?: string }).message ?? "",
  };
}
