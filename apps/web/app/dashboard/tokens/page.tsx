import { TokenIcon } from "@/components/icons";
import { PlaceholderPage, placeholderMetadata } from "@/components/placeholder-page";

export const generateMetadata = () => placeholderMetadata("tokens");

export default function TokensPage() {
  return <PlaceholderPage section="tokens" icon={<TokenIcon />} />;
}
