import { getTranslations } from "next-intl/server";
import { signInWithGitHub } from "@/app/actions/auth";
import { GitHubSubmit } from "./github-submit";

/** Shown only when AUTH_GITHUB_ID and AUTH_GITHUB_SECRET are configured. */
export async function GitHubButton({ callbackUrl }: { callbackUrl: string }) {
  const t = await getTranslations("auth");
  return (
    <div className="flex flex-col gap-4">
      <div className="flex items-center gap-3 text-xs text-zinc-500 uppercase dark:text-zinc-400">
        <span className="h-px flex-1 bg-zinc-200 dark:bg-zinc-800" />
        {t("or")}
        <span className="h-px flex-1 bg-zinc-200 dark:bg-zinc-800" />
      </div>
      <form action={signInWithGitHub}>
        <input type="hidden" name="callbackUrl" value={callbackUrl} />
        <GitHubSubmit label={t("github")} pendingLabel={t("githubPending")} />
      </form>
    </div>
  );
}
