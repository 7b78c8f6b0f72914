"""Vietnamese names (pure Python data): surnames by frequency, middle and given names by sex.

Surname shares follow published estimates (Nguyễn ≈ 38 %, Trần ≈ 11 %, Lê ≈ 9.5 %, …).  Bù Gia Mập
is home to S'tiêng and M'nông communities, whose names follow another pattern: men often carry
"Điểu", women "Thị", followed by a given name.
"""

SURNAMES = (
    ("Nguyễn", 38.4), ("Trần", 11.0), ("Lê", 9.5), ("Phạm", 7.1), ("Hoàng", 4.1), ("Huỳnh", 3.0), ("Phan", 4.5),
    ("Vũ", 2.0), ("Võ", 2.5), ("Đặng", 2.1), ("Bùi", 2.0), ("Đỗ", 1.4), ("Hồ", 1.3), ("Ngô", 1.3), ("Dương", 1.0),
    ("Lý", 0.5), ("Đinh", 0.8), ("Trương", 0.7), ("Đào", 0.6), ("Mai", 0.5), ("Cao", 0.5), ("Lương", 0.4),
    ("Tô", 0.3), ("Hà", 0.4), ("Chu", 0.2), ("Lâm", 0.3), ("Thái", 0.3), ("La", 0.2), ("Tạ", 0.2), ("Kiều", 0.1),
)  # fmt: skip
MIDDLE_MALE = ("Văn", "Văn", "Văn", "Đức", "Minh", "Hữu", "Quang", "Thanh", "Công", "Ngọc", "Xuân", "Hoàng", "Duy",
               "Anh", "Trọng", "Đình", "Gia", "Tấn", "Quốc", "Thành")  # fmt: skip
MIDDLE_FEMALE = ("Thị", "Thị", "Thị", "Thị", "Ngọc", "Thu", "Thanh", "Kim", "Minh", "Hồng", "Phương", "Bích", "Mỹ",
                 "Hoài", "Diệu", "Khánh", "Bảo", "Thùy", "Quỳnh", "Tuyết")  # fmt: skip
GIVEN_MALE = ("An", "Bình", "Cường", "Dũng", "Hùng", "Hải", "Huy", "Khoa", "Long", "Minh", "Nam", "Phong", "Phúc",
              "Quân", "Sơn", "Tài", "Thắng", "Thành", "Trung", "Tuấn", "Việt", "Vinh", "Hiếu", "Hoàng", "Đạt", "Đức",
              "Khang", "Kiên", "Lâm", "Lộc", "Nghĩa", "Nhân", "Quang", "Tâm", "Thái", "Thiện", "Toàn", "Trí", "Tùng",
              "Vũ", "Bảo", "Duy", "Hậu", "Hưng", "Khải", "Lực", "Mạnh", "Phát", "Sang", "Thịnh")  # fmt: skip
GIVEN_FEMALE = ("An", "Anh", "Chi", "Dung", "Giang", "Hà", "Hạnh", "Hằng", "Hoa", "Hương", "Huyền", "Lan", "Liên",
                "Linh", "Loan", "Mai", "My", "Nga", "Ngân", "Ngọc", "Nhung", "Oanh", "Phương", "Quyên", "Tâm", "Thảo",
                "Thu", "Thủy", "Trang", "Trinh", "Tuyết", "Uyên", "Vân", "Vy", "Yến", "Hiền", "Diệp", "Ly", "Nhi",
                "Hồng", "Thơm", "Lệ", "Xuân", "Hậu", "Nhàn")  # fmt: skip
STIENG_MALE = ("Bình", "Kré", "Lên", "Xuân", "Đông", "Phong", "Brơi", "Sang", "Thanh", "Ngọc", "Mênh", "Lưu", "Tiếp",
               "Hiếu", "Dũng", "Tâm", "Nhơn", "Bé", "Đờn", "Thương")  # fmt: skip
STIENG_FEMALE = ("Bé", "Hồng", "Nhung", "Ry", "Lan", "Phi", "Mai", "Thúy", "Ngà", "Liên", "Thoa", "Út", "Sen", "Kim",
                 "Ren", "Hạnh")  # fmt: skip
