import { ActivityIcon } from "@/components/icons";
import { PlaceholderPage, placeholderMetadata } from "@/components/placeholder-page";

export const generateMetadata = () => placeholderMetadata("activity");

export default function ActivityPage() {
  return <PlaceholderPage section="activity" icon={<ActivityIcon />} />;
}
