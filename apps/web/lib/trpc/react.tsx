"use client";

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { httpBatchLink, loggerLink } from "@trpc/client";
import { createTRPCReact } from "@trpc/react-query";
import type { AppRouter } from "@twx/api";
import { useState, type ReactNode } from "react";
import superjson from "superjson";

/** Typed hooks for every procedure of `@twx/api`: `trpc.account.me.useQuery()`. */
export const trpc = createTRPCReact<AppRouter>();

function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // Data shown in the portal changes through the portal; a short window avoids refetch storms.
        staleTime: 30_000,
        retry: (failureCount, error) => {
          // Auth and validation failures will not fix themselves on retry.
          const status = (error as { data?: { httpStatus?: number } }).data?.httpStatus;
          return !(status && status >= 400 && status < 500) && failureCount < 2;
        },
      },
    },
  });
}

export function TRPCProvider({ children }: { children: ReactNode }) {
  const [queryClient] = useState(makeQueryClient);
  const [trpcClient] = useState(() =>
    trpc.createClient({
      links: [
        loggerLink({
          // Development only, and not for error answers: a validation error is shown on the form,
          // and logging it would flag it as a problem in Next's dev overlay.
          enabled: (op) => process.env.NODE_ENV === "development" && !(op.direction === "down" && op.result instanceof Error),
        }),
        httpBatchLink({
          // Same origin: the session cookie goes along and no CORS is involved.
          url: "/api/trpc",
          transformer: superjson,
        }),
      ],
    }),
  );
  return (
    <trpc.Provider client={trpcClient} queryClient={queryClient}>
      <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>
    </trpc.Provider>
  );
}
