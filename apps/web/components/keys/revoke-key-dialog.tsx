"use client";

import { useTranslations } from "next-intl";
import { FormAlert } from "@/components/form";
import { Button } from "@/components/ui/button";
import { Dialog, DialogActions } from "@/components/ui/dialog";
import { trpc } from "@/lib/trpc/react";
import { describeError } from "./errors";
import type { KeyRow } from "./types";

/** Revocation is immediate and final, so it asks first and names the key it will revoke. */
export function RevokeKeyDialog({ target, onClose }: { target: KeyRow | null; onClose: () => void }) {
  const t = useTranslations("keys");
  const te = useTranslations("keys.errors");
  const utils = trpc.useUtils();
  const revoke = trpc.keys.revoke.useMutation({
    onSuccess: ({ id, revokedAt }) => {
      // Show the new state at once; the refetch below brings the server's view.
      utils.keys.list.setData(undefined, (rows) => rows?.map((row) => (row.id === id ? { ...row, revokedAt, status: "revoked" as const } : row)));
      close();
    },
    onSettled: () => utils.keys.list.invalidate(),
  });
  const failure = describeError(revoke.error, te);

  function close() {
    revoke.reset();
    onClose();
  }

  return (
    <Dialog
      open={target !== null}
      role="alertdialog"
      onRequestClose={close}
      closeLabel={t("dialog.close")}
      title={t("revoke.title", { name: target?.name ?? "" })}
      description={t("revoke.description", { start: target?.start ?? "" })}
      testId="revoke-key-dialog"
    >
      <div className="flex flex-col gap-5">
        {failure ? <FormAlert>{failure.message}</FormAlert> : null}
        <DialogActions>
          <Button variant="secondary" onClick={close} autoFocus>
            {t("dialog.cancel")}
          </Button>
          <Button variant="danger" pending={revoke.isPending} onClick={() => target && revoke.mutate({ id: target.id })}>
            {revoke.isPending ? t("revoke.submitting") : t("revoke.submit", { name: target?.name ?? "" })}
          </Button>
        </DialogActions>
      </div>
    </Dialog>
  );
}
