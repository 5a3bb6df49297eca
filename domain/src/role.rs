//! The roles carried in a token (DOMAIN.md §1).

text_enum!(Role {
    /// 市经济信息委 staff and its selection panel.
    Commission,
    /// A district's 经信部门 officer, bound to one district or zone.
    District,
    /// A builder organisation (建设主体 / 揭榜方), bound to one organisation.
    Applicant,
    /// A member of the expert pool.
    Expert,
    /// A third-party evaluation body (第三方机构).
    Evaluator,
    /// A municipal data platform (integration client); reads only.
    Platform,
});

impl Role {
    pub const ALL: [Role; 6] = [
        Role::Commission,
        Role::District,
        Role::Applicant,
        Role::Expert,
        Role::Evaluator,
        Role::Platform,
    ];
}
