import { ChartIcon } from "@/components/icons";
import { PlaceholderPage, placeholderMetadata } from "@/components/placeholder-page";

export const generateMetadata = () => placeholderMetadata("usage");

export default function UsagePage() {
  return <PlaceholderPage section="usage" icon={<ChartIcon />} />;
}
