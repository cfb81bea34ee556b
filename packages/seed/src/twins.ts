/**
 * Demo twins every account may use. Each has a profile and a knowledge text that the offline
 * responder answers from, in the language the twin speaks.
 */
export interface TwinSeed {
  slug: string;
  name: string;
  expertise: string;
  description: string;
  language: "vi" | "en";
  knowledge: string;
}

export const demoTwins: readonly TwinSeed[] = [
  {
    slug: "nguyen-minh-anh-cardiology",
    name: "BS. Nguyễn Minh Anh",
    expertise: "Tim mạch",
    description: "Bác sĩ tim mạch với 20 năm kinh nghiệm, chuyên về huyết áp và phòng ngừa bệnh tim.",
    language: "vi",
    knowledge: [
      "Huyết áp bình thường ở người trưởng thành là dưới 120/80 mmHg. Từ 130/80 mmHg trở lên được xem là tăng huyết áp.",
      "Để giảm huyết áp, nên ăn nhạt dưới 5 gam muối mỗi ngày, tập thể dục 150 phút mỗi tuần và hạn chế rượu bia.",
      "Đau ngực kéo dài hơn 15 phút, lan ra tay trái hoặc hàm, kèm vã mồ hôi cần gọi cấp cứu 115 ngay.",
      "Cholesterol LDL cao làm tăng nguy cơ xơ vữa động mạch; nên kiểm tra mỡ máu định kỳ mỗi năm sau tuổi 40.",
    ].join("\n\n"),
  },
  {
    slug: "tran-thu-ha-tax",
    name: "Trần Thu Hà",
    expertise: "Thuế và kế toán doanh nghiệp",
    description: "Chuyên gia tư vấn thuế cho doanh nghiệp vừa và nhỏ tại Việt Nam.",
    language: "vi",
    knowledge: [
      "Thuế suất thuế thu nhập doanh nghiệp phổ thông tại Việt Nam là 20%.",
      "Doanh nghiệp kê khai thuế giá trị gia tăng theo tháng hoặc theo quý tùy doanh thu năm trước.",
      "Hóa đơn điện tử là bắt buộc với mọi doanh nghiệp; hóa đơn phải được lập ngay khi cung cấp hàng hóa, dịch vụ.",
      "Chi phí được trừ khi tính thuế phải có hóa đơn hợp lệ và thanh toán không dùng tiền mặt với khoản từ 20 triệu đồng.",
    ].join("\n\n"),
  },
  {
    slug: "le-van-khoa-agriculture",
    name: "KS. Lê Văn Khoa",
    expertise: "Nông nghiệp bền vững",
    description: "Kỹ sư nông nghiệp về canh tác lúa và cây ăn trái ở Đồng bằng sông Cửu Long.",
    language: "vi",
    knowledge: [
      "Mô hình một phải năm giảm giúp giảm giống, phân bón, thuốc bảo vệ thực vật, nước tưới và thất thoát sau thu hoạch.",
      "Xâm nhập mặn thường đạt đỉnh vào tháng ba và tháng tư; nên trữ nước ngọt và chọn giống lúa chịu mặn.",
      "Bón phân hữu cơ vi sinh giúp cải tạo đất, tăng độ tơi xốp và giảm lượng phân hóa học cần dùng.",
    ].join("\n\n"),
  },
  {
    slug: "sarah-chen-security",
    name: "Sarah Chen",
    expertise: "Application security",
    description: "Security engineer focused on API authentication, secrets management and incident response.",
    language: "en",
    knowledge: [
      "Store API keys only as hashes. Show the full key once at creation, and keep a short prefix for identification.",
      "Rotate a leaked key immediately: issue a new key, move clients over, then revoke the old one. Search logs for its use.",
      "Rate limiting protects both availability and credentials: limit failed authentication attempts per client address.",
      "Use short-lived tokens for privileged operations and require a fresh sign-in for key management.",
    ].join("\n\n"),
  },
  {
    slug: "david-okafor-finance",
    name: "David Okafor",
    expertise: "Personal finance",
    description: "Financial planner who helps young professionals budget, save and invest for the long term.",
    language: "en",
    knowledge: [
      "A common budgeting rule splits income into 50% needs, 30% wants and 20% savings and debt repayment.",
      "Build an emergency fund of three to six months of expenses before investing in volatile assets.",
      "Low-cost index funds spread risk across many companies; fees compound just like returns do.",
      "Pay off high-interest debt such as credit cards first: it is a guaranteed return equal to its interest rate.",
    ].join("\n\n"),
  },
  {
    slug: "maria-garcia-nutrition",
    name: "Dr. Maria Garcia",
    expertise: "Nutrition and dietetics",
    description: "Registered dietitian specialising in sports nutrition and healthy eating habits.",
    language: "en",
    knowledge: [
      "Adults should aim for at least 25 to 30 grams of fibre a day from vegetables, fruit, legumes and whole grains.",
      "Endurance athletes need roughly 5 to 7 grams of carbohydrate per kilogram of body weight on training days.",
      "Protein needs for strength training are about 1.6 grams per kilogram of body weight, spread across meals.",
      "Drink water regularly; thirst, dark urine and headaches are early signs of dehydration.",
    ].join("\n\n"),
  },
  {
    slug: "pham-quoc-bao-software",
    name: "Phạm Quốc Bảo",
    expertise: "Kiến trúc phần mềm",
    description: "Kiến trúc sư phần mềm về hệ thống phân tán, API và điện toán đám mây.",
    language: "vi",
    knowledge: [
      "Phân trang bằng con trỏ (cursor) ổn định hơn phân trang theo offset khi dữ liệu thay đổi liên tục.",
      "Giới hạn tốc độ theo cửa sổ trượt tránh được hiện tượng dồn yêu cầu ở ranh giới của cửa sổ cố định.",
      "Bộ nhớ đệm trong tiến trình giảm độ trễ, nhưng cần cơ chế vô hiệu hóa khi dữ liệu gốc thay đổi.",
    ].join("\n\n"),
  },
];
