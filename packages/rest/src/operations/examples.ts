/** Example values shared by the operations' documentation. */
export const exampleKey = {
  id: "0198c2a4-6f1e-7a3b-9c1d-2e4f5a6b7c8d",
  name: "My App",
  scope: "full_access",
  start: "twx_8fK2a",
  createdAt: "2026-01-15T09:30:00.000Z",
  lastUsedAt: "2026-01-16T08:00:00.000Z",
  expiresAt: null,
  revokedAt: null,
} as const;

export const exampleTwin = {
  id: "0198c2a4-1b2c-7d3e-8f40-5a6b7c8d9e0f",
  name: "BS. Nguyễn Minh Anh",
  expertise: "Tim mạch",
  description: "Bác sĩ tim mạch với 20 năm kinh nghiệm, chuyên về huyết áp và phòng ngừa bệnh tim.",
  avatarUrl: null,
} as const;

export const exampleConversation = {
  id: "0198c2b0-0a1b-7c2d-9e3f-4a5b6c7d8e9f",
  twinId: exampleTwin.id,
  title: "Trò chuyện với BS. Nguyễn Minh Anh",
  createdAt: "2026-01-15T10:00:00.000Z",
  updatedAt: "2026-01-15T10:01:00.001Z",
} as const;

export const exampleMessage = {
  id: "0198c2b1-1a2b-7c3d-8e4f-5a6b7c8d9e0f",
  conversationId: exampleConversation.id,
  role: "user",
  content: "Huyết áp bình thường là bao nhiêu?",
  createdAt: "2026-01-15T10:01:00.000Z",
} as const;

export const exampleReply = {
  id: "0198c2b1-1a2b-7c3d-8e4f-5a6b7c8d9e10",
  conversationId: exampleConversation.id,
  role: "twin",
  content:
    "Chào bạn, tôi là BS. Nguyễn Minh Anh. Theo kinh nghiệm của tôi về tim mạch: Huyết áp bình thường ở người trưởng thành là dưới 120/80 mmHg. Từ 130/80 mmHg trở lên được xem là tăng huyết áp.",
  createdAt: "2026-01-15T10:01:00.001Z",
} as const;
