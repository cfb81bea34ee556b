import { KeyIcon } from "@/components/icons";
import { PlaceholderPage, placeholderMetadata } from "@/components/placeholder-page";

export const generateMetadata = () => placeholderMetadata("keys");

export default function KeysPage() {
  return <PlaceholderPage section="keys" icon={<KeyIcon />} />;
}
