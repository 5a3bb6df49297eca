//! A deterministic demo data set for the 2024 round: builder organisations, every used district's
//! industry map, and about forty proposals (附件1 form + 附件2 plan) in every state a round goes through.
//!
//! It exists so that a fresh service can be shown doing something interesting: the data is shaped so
//! that the selection is not a sort. With weights completeness 30 / representativeness 35 / layout 35,
//! the two highest-scoring eligible proposals lie in the same district (两江新区), two strong proposals
//! share a cluster, and every region of 一区两群 has an eligible proposal, so "take the top five" breaks
//! the at-most-one-per-district rule and the constrained optimum differs from it.
//!
//! Every name of an organisation, enterprise or person is invented and starts with 示例, phone numbers
//! are of the form 023-6000-00NN, and unified social credit codes are built with a valid check character
//! from `91{district}MA{serial}`; nothing here names a real firm. Industry classes come only from the
//! shipped GB/T 4754-2017 reference rows, and all amounts are in 万元 with 2022 figures.
//!
//! The output is plain data and the same on every call; the loader inserts it, filling each form's
//! `builder_organisation_id` from `builder_key` once the organisations have ids.

use chrono::{Months, NaiveDate};

use crate::domain::codes::Uscc;
use crate::domain::industry_map::{IndustryMap, IndustryMapEntry, MapEntryKind};
use crate::domain::money::Money;
use crate::domain::proposal::{
    ChainLeader, ClusterStats, ConstructionModel, FundingItem, FundingSource, IndustryClassRef,
    PlanBenefits, PlanContent, PlanFunding, PlanIntroduction, PlanKpi, PlanMilestone,
    PlanOperation, PlanScenario, PlanSchedule, PlanTask, PlanTechnology, ProposalContact,
    ProposalForm, ProposalPlan,
};

/// A builder organisation (建设主体): a district platform company, a chain-leader enterprise or a
/// third-party platform.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoOrganisation {
    /// Stable key that proposals refer to (`builder_key`, `DemoOwner::Applicant`).
    pub key: &'static str,
    /// Invented name, always starting with 示例.
    pub name: String,
    /// Unified social credit code with a valid check character; distinct across the set.
    pub uscc: String,
    /// Home district or zone (our codes CQLJ, CQGX, CQWS for the zones).
    pub district_code: String,
}

/// Who filed the proposal and owns its drafts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DemoOwner {
    /// The builder organisation itself, through an applicant account.
    Applicant { organisation_key: &'static str },
    /// The officer of the proposal's district, as the notice asks districts to fill in 附件1.
    District,
}

/// Where the proposal stands when the demo round is shown: the loader replays the state machine up
/// to this state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DemoFate {
    Draft,
    Submitted,
    /// Sent back by the district with its reasons.
    Returned {
        reasons: Vec<String>,
    },
    /// Sealed by the district (审核盖章), not yet judged by the commission.
    Sealed,
    /// Marked eligible by the commission: part of the selection pool.
    Eligible,
    /// Marked ineligible by the commission with its reasons.
    Ineligible {
        reasons: Vec<String>,
    },
}

impl DemoFate {
    /// Whether the district has sealed the proposal (sealed, eligible or ineligible).
    pub fn is_sealed_or_later(&self) -> bool {
        matches!(
            self,
            Self::Sealed | Self::Eligible | Self::Ineligible { .. }
        )
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct DemoProposal {
    /// Stable key, "P01" … "P40".
    pub key: String,
    pub owner: DemoOwner,
    /// The intention form; `builder_organisation_id` is `None`, the loader fills it from `builder_key`.
    pub form: ProposalForm,
    /// Key of the intended builder organisation, if the form names one.
    pub builder_key: Option<&'static str>,
    pub plan: ProposalPlan,
    pub fate: DemoFate,
    /// For sealed-or-later proposals: how many minutes before the 2024 intake deadline the district
    /// sealed it, distinct per proposal so that orderings by time are unambiguous; 0 otherwise.
    pub sealed_minutes_before_deadline: i64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DemoSet {
    pub organisations: Vec<DemoOrganisation>,
    /// The 2023 industry map of every district or zone that a proposal uses: `(district code, map)`.
    pub industry_maps: Vec<(String, IndustryMap)>,
    pub proposals: Vec<DemoProposal>,
}

/// The demo data set; the same value on every call.
pub fn demo_set() -> DemoSet {
    let organisations = organisations();
    let mut sealed = 0_i64;
    let proposals = SPECS
        .iter()
        .enumerate()
        .map(|(i, spec)| {
            let fate = spec.fate.to_demo();
            let sealed_minutes_before_deadline = if fate.is_sealed_or_later() {
                sealed += 1;
                // Spread over the last fortnight before the deadline, a distinct minute each.
                sealed * 613 + 45
            } else {
                0
            };
            let builder_name = spec
                .builder
                .and_then(|key| organisations.iter().find(|o| o.key == key))
                .map(|o| o.name.as_str());
            DemoProposal {
                key: spec.key.to_owned(),
                owner: if spec.filed_by_district {
                    DemoOwner::District
                } else {
                    match spec.builder {
                        Some(organisation_key) => DemoOwner::Applicant { organisation_key },
                        None => DemoOwner::District,
                    }
                },
                form: form(i, spec),
                builder_key: spec.builder,
                plan: plan(spec, builder_name.unwrap_or("示例建设单位")),
                fate,
                sealed_minutes_before_deadline,
            }
        })
        .collect();
    DemoSet {
        organisations,
        industry_maps: industry_maps(),
        proposals,
    }
}

// ---------------------------------------------------------------------------------------------
// Organisations
// ---------------------------------------------------------------------------------------------

/// `(key, name, home district)`; the serial of the credit code is the row number.
const ORGANISATIONS: [(&str, &str, &str); 36] = [
    // Chain-leader enterprises (链主企业).
    ("cl_auto", "示例智联汽车集团有限公司", "CQLJ"),
    ("cl_moto", "示例摩托车制造有限公司", "500113"),
    ("cl_display", "示例光电显示科技有限公司", "500106"),
    ("cl_cnc", "示例数控机床有限公司", "500118"),
    ("cl_chem", "示例化工新材料有限公司", "500102"),
    ("cl_alu", "示例铝合金材料股份有限公司", "500107"),
    ("cl_oral", "示例口腔护理用品有限公司", "500105"),
    ("cl_battery", "示例动力电池有限公司", "500120"),
    ("cl_gear", "示例齿轮传动有限公司", "500110"),
    ("cl_glass", "示例玻璃新材料有限公司", "CQWS"),
    ("cl_coating", "示例涂料有限公司", "500152"),
    ("cl_meter", "示例仪器仪表有限公司", "500109"),
    ("cl_pickle", "示例榨菜食品有限公司", "500102"),
    // District platform companies (政府平台公司).
    ("gv_gx", "示例科学城数字产业发展有限公司", "CQGX"),
    ("gv_yubei", "示例临空智联产业发展有限公司", "500112"),
    ("gv_jiangjin", "示例粮油产业发展有限公司", "500116"),
    ("gv_qianjiang", "示例丝绸产业发展有限公司", "500114"),
    ("gv_rongchang", "示例生物医药产业发展有限公司", "500153"),
    ("gv_liangping", "示例预制菜产业发展有限公司", "500155"),
    ("gv_shizhu", "示例中药材产业发展有限公司", "500240"),
    ("gv_wulong", "示例高山茶饮产业发展有限公司", "500156"),
    ("gv_dazu", "示例五金产业发展有限公司", "500111"),
    ("gv_fengjie", "示例脐橙产业发展有限公司", "500236"),
    ("gv_dianjiang", "示例建材产业发展有限公司", "500231"),
    ("gv_youyang", "示例山地农业产业发展有限公司", "500242"),
    ("gv_pengshui", "示例民族食品产业发展有限公司", "500243"),
    // Third-party platform enterprises (第三方平台企业).
    ("tp_chipnet", "示例芯链工业互联网科技有限公司", "CQLJ"),
    ("tp_xiajiang", "示例峡江工业互联网有限公司", "500101"),
    ("tp_wuling", "示例武陵数智科技有限公司", "500241"),
    ("tp_fiber", "示例纤维材料工业互联网有限公司", "500115"),
    ("tp_software", "示例工业软件服务有限公司", "500108"),
    ("tp_data", "示例数据要素服务有限公司", "500103"),
    ("tp_energy", "示例储能数字科技有限公司", "500117"),
    ("tp_metal", "示例再生金属互联网科技有限公司", "500151"),
    ("tp_herb", "示例中医药数字科技有限公司", "500119"),
    ("tp_bio", "示例生物医药数字服务有限公司", "500104"),
];

fn organisations() -> Vec<DemoOrganisation> {
    let mut all: Vec<DemoOrganisation> = ORGANISATIONS
        .iter()
        .zip(1_u32..)
        .map(|((key, name, district), serial)| DemoOrganisation {
            key,
            name: (*name).to_owned(),
            uscc: uscc(district, serial),
            district_code: (*district).to_owned(),
        })
        .collect();
    // One more for the returned proposal in 高新区, whose builder is also a third party.
    all.push(DemoOrganisation {
        key: "tp_gxsoft",
        name: "示例科学城软件测评有限公司".to_owned(),
        uscc: uscc("CQGX", 37),
        district_code: "CQGX".to_owned(),
    });
    all
}

/// `91` (enterprise) + the district's 6 digits (500000 for the zones, which have no GB/T 2260 code)
/// + `MA` + a 7-digit serial, completed with its check character.
fn uscc(district: &str, serial: u32) -> String {
    let district6 = if district.bytes().all(|b| b.is_ascii_digit()) {
        district
    } else {
        "500000"
    };
    Uscc::with_check(&format!("91{district6}MA{serial:07}")).unwrap_or_default()
}

// ---------------------------------------------------------------------------------------------
// Industry maps
// ---------------------------------------------------------------------------------------------

/// A cluster entry of an industry map.
const fn c(code: &'static str) -> (MapEntryKind, &'static str) {
    (MapEntryKind::Cluster, code)
}

/// An industry-class entry of an industry map.
const fn k(code: &'static str) -> (MapEntryKind, &'static str) {
    (MapEntryKind::IndustryClass, code)
}

type MapRow = (
    &'static str,
    &'static [(MapEntryKind, &'static str)],
    &'static [(MapEntryKind, &'static str)],
);

/// `(district, leading, characteristic)` for every district or zone a proposal uses. Some proposals
/// match a leading industry, some only a characteristic one (P06, P11, P15, P19, P22, P28), some
/// neither (P23, P26, P29).
const MAPS: [MapRow; 37] = [
    (
        "CQLJ",
        &[c("icv_nev"), c("electronic_info"), c("new_display")],
        &[
            c("software_info"),
            c("biomedicine"),
            c("intelligent_equipment"),
        ],
    ),
    (
        "CQGX",
        &[c("electronic_info"), c("software_info"), k("27")],
        &[c("intelligent_equipment"), k("40"), c("new_energy_storage")],
    ),
    (
        "CQWS",
        &[k("30"), c("light_alloy")],
        &[c("food_agri"), k("25")],
    ),
    (
        "500101",
        &[c("food_agri"), c("advanced_materials")],
        &[c("light_textile"), k("35"), c("new_energy_storage")],
    ),
    (
        "500102",
        &[c("advanced_materials"), c("food_agri")],
        &[k("38"), c("light_textile")],
    ),
    (
        "500103",
        &[c("software_info")],
        &[c("biomedicine"), k("24")],
    ),
    (
        "500104",
        &[c("biomedicine"), k("34")],
        &[c("software_info"), k("31")],
    ),
    (
        "500105",
        &[c("software_info"), c("biomedicine")],
        &[k("268"), c("intelligent_equipment")],
    ),
    (
        "500106",
        &[c("electronic_info"), c("intelligent_equipment")],
        &[c("new_display"), k("65")],
    ),
    (
        "500107",
        &[c("light_alloy"), c("motorcycle")],
        &[c("intelligent_equipment"), k("38")],
    ),
    (
        "500108",
        &[c("software_info"), c("biomedicine")],
        &[c("icv_nev"), k("39")],
    ),
    (
        "500109",
        &[k("40"), c("advanced_materials")],
        &[c("icv_nev"), c("biomedicine")],
    ),
    (
        "500110",
        &[c("intelligent_equipment"), c("light_alloy")],
        &[k("30"), c("food_agri")],
    ),
    (
        "500111",
        &[k("33"), c("icv_nev")],
        &[c("food_agri"), c("light_textile")],
    ),
    (
        "500112",
        &[c("icv_nev"), c("electronic_info")],
        &[c("software_info"), k("37")],
    ),
    (
        "500113",
        &[c("motorcycle"), c("biomedicine")],
        &[c("intelligent_equipment"), k("33")],
    ),
    (
        "500114",
        &[c("light_textile"), c("food_agri")],
        &[c("biomedicine")],
    ),
    (
        "500115",
        &[c("advanced_materials"), k("25")],
        &[c("new_energy_storage"), k("31")],
    ),
    (
        "500116",
        &[c("food_agri"), c("intelligent_equipment")],
        &[c("icv_nev"), k("32")],
    ),
    (
        "500117",
        &[c("electronic_info"), k("39")],
        &[c("food_agri"), k("34")],
    ),
    (
        "500118",
        &[c("icv_nev"), c("electronic_info")],
        &[c("intelligent_equipment"), k("65")],
    ),
    (
        "500119",
        &[c("biomedicine"), c("advanced_materials")],
        &[c("food_agri")],
    ),
    (
        "500120",
        &[c("new_energy_storage"), c("icv_nev")],
        &[k("39"), c("intelligent_equipment")],
    ),
    (
        "500151",
        &[c("icv_nev"), k("39")],
        &[c("light_alloy"), c("food_agri")],
    ),
    (
        "500152",
        &[c("food_agri"), c("new_energy_storage")],
        &[k("27"), c("light_textile")],
    ),
    (
        "500153",
        &[c("biomedicine"), c("food_agri")],
        &[c("light_textile"), k("30")],
    ),
    (
        "500154",
        &[c("new_energy_storage"), k("39")],
        &[c("light_textile"), c("food_agri")],
    ),
    ("500155", &[c("food_agri"), k("22")], &[c("light_textile")]),
    ("500156", &[c("advanced_materials"), k("38")], &[k("41")]),
    ("500231", &[c("food_agri")], &[k("30"), c("light_textile")]),
    (
        "500233",
        &[c("new_energy_storage"), c("food_agri")],
        &[c("light_textile")],
    ),
    ("500235", &[c("food_agri")], &[k("30")]),
    ("500236", &[c("food_agri")], &[c("light_textile")]),
    (
        "500240",
        &[c("biomedicine"), c("food_agri")],
        &[c("light_textile")],
    ),
    (
        "500241",
        &[c("light_textile"), k("64")],
        &[c("food_agri"), c("biomedicine")],
    ),
    ("500242", &[c("food_agri")], &[c("biomedicine")]),
    (
        "500243",
        &[c("food_agri"), c("light_textile")],
        &[c("biomedicine")],
    ),
];

fn industry_maps() -> Vec<(String, IndustryMap)> {
    let entries = |list: &[(MapEntryKind, &str)]| {
        list.iter()
            .map(|(kind, code)| IndustryMapEntry {
                kind: *kind,
                code: (*code).to_owned(),
            })
            .collect()
    };
    MAPS.iter()
        .map(|(district, leading, characteristic)| {
            (
                (*district).to_owned(),
                IndustryMap {
                    leading: entries(leading),
                    characteristic: entries(characteristic),
                },
            )
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Proposal specifications
// ---------------------------------------------------------------------------------------------

/// How much of the plan outline a proposal answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Depth {
    /// Every section substantive.
    Full,
    /// Technology section missing, some operation and benefit items missing, a milestone undated.
    Partial,
    /// Everything present but short: one task, KPIs without unit or baseline, no milestones.
    Thin,
    /// A first sketch: a few lines of the form and the plan.
    Sketch,
}

#[derive(Debug, Clone, Copy)]
enum Fate {
    Draft,
    Submitted,
    Returned(&'static [&'static str]),
    Sealed,
    Eligible,
    Ineligible(&'static [&'static str]),
}

impl Fate {
    fn to_demo(self) -> DemoFate {
        let owned = |reasons: &[&str]| reasons.iter().map(|r| (*r).to_owned()).collect();
        match self {
            Self::Draft => DemoFate::Draft,
            Self::Submitted => DemoFate::Submitted,
            Self::Returned(reasons) => DemoFate::Returned {
                reasons: owned(reasons),
            },
            Self::Sealed => DemoFate::Sealed,
            Self::Eligible => DemoFate::Eligible,
            Self::Ineligible(reasons) => DemoFate::Ineligible {
                reasons: owned(reasons),
            },
        }
    }
}

/// An application scenario: name, what the brain does, KPI name, unit, baseline, target.
#[derive(Debug, Clone, Copy)]
struct Scene(
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    f64,
    f64,
);

/// The words a plan is written from.
#[derive(Debug, Clone, Copy)]
struct Theme {
    /// The brain's name without the suffix 行业产业大脑.
    brain: &'static str,
    industry: &'static str,
    chain: &'static str,
    pain: &'static str,
    tech: &'static str,
    revenue: &'static str,
    scenes: [Scene; 2],
}

#[derive(Debug, Clone, Copy)]
struct Spec {
    key: &'static str,
    district: &'static str,
    /// The district's name as a plan would write it.
    place: &'static str,
    cluster: &'static str,
    /// 大类 / 中类 / 小类; "" where the form leaves the level out.
    class: (&'static str, &'static str, &'static str),
    model: ConstructionModel,
    builder: Option<&'static str>,
    filed_by_district: bool,
    /// Chain leader: name, scale (万元), in-city suppliers.
    leader: Option<(&'static str, i64, u32)>,
    /// Cluster: scale (万元), enterprise count.
    stats: Option<(i64, u32)>,
    /// Total investment, 万元.
    total: i64,
    depth: Depth,
    breakdown_sums: bool,
    /// Construction starts on the 1st of this month of 2024 and lasts `months`.
    start_month: u32,
    months: u32,
    fate: Fate,
    theme: Theme,
}

use ConstructionModel::{ChainLeaderLed, GovernmentLed, ThirdParty};

const INELIGIBLE_P33: &[&str] = &[
    "建设内容以单一机构的研发外包管理系统为主，未体现行业级数据汇聚与共享，不符合《重庆市工业产业大脑建设指南（1.0）》对行业大脑的定位",
    "运营收入主要依赖财政持续补助，未形成市场化运营和“自我造血”机制",
];
const INELIGIBLE_P34: &[&str] = &[
    "初步建设方案缺少资金筹措及投资估算、建设内容、应用场景及考核指标、运营模式等主要章节",
    "意向表未填报链主企业和产业集群情况",
];
const INELIGIBLE_P35: &[&str] = &[
    "填报的产业集群规模与企业数量未经区县经信部门核实，与2022年度统计口径差异较大",
    "建设计划未明确实施里程碑，建设路径不清晰",
];
const RETURNED_P38: &[&str] = &[
    "投资估算明细合计与总投资不一致，请核实后重新提交",
    "应用场景的考核指标缺少单位和基准值，请补充量化指标",
];

static SPECS: [Spec; 40] = [
    Spec {
        key: "P01",
        district: "CQLJ",
        place: "两江新区",
        cluster: "icv_nev",
        class: ("36", "361", "3612"),
        model: ChainLeaderLed,
        builder: Some("cl_auto"),
        filed_by_district: false,
        leader: Some(("示例智联汽车集团有限公司", 4_900_000, 790)),
        stats: Some((48_000_000, 1950)),
        total: 4800,
        depth: Depth::Full,
        breakdown_sums: true,
        start_month: 4,
        months: 24,
        fate: Fate::Eligible,
        theme: Theme {
            brain: "智能网联新能源汽车供应链协同",
            industry: "智能网联新能源汽车",
            chain: "整车、动力电池、电驱电控和智能座舱",
            pain: "零部件缺料预警滞后、跨企业排产协同难、质量问题追溯链条长",
            tech: "多级供应链知识图谱、需求预测与协同排产优化算法",
            revenue: "供应链协同SaaS订阅、供应链金融撮合服务",
            scenes: [
                Scene("缺料预警与协同补货", "汇聚整车排产计划与一二级供应商库存、在途数据，提前识别缺料风险并自动推送补货建议", "缺料停线时长", "小时/月", 36.0, 8.0),
                Scene("零部件质量协同", "打通来料检验、制程质量和售后故障数据，实现质量问题跨企业快速定位与闭环整改", "质量问题平均闭环周期", "天", 21.0, 7.0),
            ],
        },
    },
    Spec {
        key: "P02",
        district: "CQLJ",
        place: "两江新区",
        cluster: "electronic_info",
        class: ("39", "397", "3973"),
        model: ThirdParty,
        builder: Some("tp_chipnet"),
        filed_by_district: false,
        leader: Some(("示例晶圆制造有限公司", 4_200_000, 720)),
        stats: Some((41_000_000, 1720)),
        total: 3900,
        depth: Depth::Full,
        breakdown_sums: true,
        start_month: 5,
        months: 20,
        fate: Fate::Eligible,
        theme: Theme {
            brain: "集成电路制造质量追溯",
            industry: "集成电路",
            chain: "晶圆制造、封装测试、材料和装备",
            pain: "良率波动原因难定位、批次质量追溯依赖人工、设备数据标准不一",
            tech: "晶圆缺陷图像识别、良率根因分析与批次标识解析",
            revenue: "良率分析订阅服务、质量追溯数据服务",
            scenes: [
                Scene("全流程批次质量追溯", "基于工业互联网标识解析为晶圆批次赋码，贯通制造、封测和客户端质量数据，分钟级完成追溯", "单批次质量追溯耗时", "小时", 48.0, 0.5),
                Scene("良率根因分析", "汇聚机台参数、量测和缺陷数据，利用机器学习定位良率波动根因并给出工艺调整建议", "平均良率提升", "个百分点", 0.0, 1.5),
            ],
        },
    },
    Spec {
        key: "P03",
        district: "CQGX",
        place: "西部科学城重庆高新区",
        cluster: "electronic_info",
        class: ("39", "397", "3973"),
        model: GovernmentLed,
        builder: Some("gv_gx"),
        filed_by_district: false,
        leader: Some(("示例芯片封测有限公司", 2_300_000, 520)),
        stats: Some((26_000_000, 1380)),
        total: 3200,
        depth: Depth::Full,
        breakdown_sums: true,
        start_month: 4,
        months: 21,
        fate: Fate::Eligible,
        theme: Theme {
            brain: "芯片与智能终端供需协同",
            industry: "芯片与智能终端",
            chain: "芯片设计、晶圆制造、封装测试和智能终端整机",
            pain: "本地配套率不高、供需信息不对称、中小企业获取订单难",
            tech: "产业链图谱、供需智能匹配与共享产能调度算法",
            revenue: "供需撮合佣金、共享产能服务费",
            scenes: [
                Scene("产业链供需智能匹配", "构建芯片与整机企业的产品能力画像，按采购需求智能推荐本地供应商并跟踪对接成效", "本地配套率", "%", 32.0, 45.0),
                Scene("共享产能调度", "汇聚封测、贴片等共享产线的空闲产能，面向中小企业提供在线预约、排产和结算服务", "共享产线利用率", "%", 55.0, 75.0),
            ],
        },
    },
    Spec {
        key: "P04",
        district: "500112",
        place: "渝北区",
        cluster: "icv_nev",
        class: ("36", "361", "3612"),
        model: GovernmentLed,
        builder: Some("gv_yubei"),
        filed_by_district: true,
        leader: Some(("示例新能源整车有限公司", 2_800_000, 610)),
        stats: Some((31_000_000, 1150)),
        total: 2600,
        depth: Depth::Full,
        breakdown_sums: true,
        start_month: 6,
        months: 18,
        fate: Fate::Eligible,
        theme: Theme {
            brain: "智能网联汽车测试与数据服务",
            industry: "智能网联汽车",
            chain: "整车研发、自动驾驶系统、车载终端和测试验证",
            pain: "测试数据分散在各企业、测试场景重复建设、车辆数据合规要求高",
            tech: "车路云一体化数据平台、测试场景自动生成与数据脱敏合规技术",
            revenue: "测试场景库授权、数据合规咨询服务",
            scenes: [
                Scene("测试场景库共享", "汇聚道路测试和仿真数据，构建覆盖山地城市道路特征的测试场景库并向企业开放调用", "入库测试场景数", "个", 1200.0, 20000.0),
                Scene("车辆数据合规服务", "提供车辆数据分类分级、脱敏处理和出境评估辅助服务，降低企业数据合规成本", "服务企业数", "家", 5.0, 60.0),
            ],
        },
    },
    Spec {
        key: "P05",
        district: "500113",
        place: "巴南区",
        cluster: "motorcycle",
        class: ("37", "375", "3751"),
        model: ChainLeaderLed,
        builder: Some("cl_moto"),
        filed_by_district: false,
        leader: Some(("示例摩托车制造有限公司", 1_450_000, 430)),
        stats: Some((5_600_000, 620)),
        total: 2200,
        depth: Depth::Full,
        breakdown_sums: true,
        start_month: 4,
        months: 18,
        fate: Fate::Eligible,
        theme: Theme {
            brain: "高端摩托车研产供销协同",
            industry: "高端摩托车",
            chain: "整车、发动机、车架和电喷电控",
            pain: "出口订单波动大、零部件库存积压、海外售后配件响应慢",
            tech: "订单驱动的协同计划排程与海外售后配件需求预测模型",
            revenue: "协同计划SaaS服务、跨境售后配件分销服务",
            scenes: [
                Scene("订单驱动协同排产", "将整车订单拆解为零部件需求并同步给配套企业，实现整车与零部件协同排产和库存共享", "配套企业库存周转天数", "天", 45.0, 30.0),
                Scene("海外售后配件服务", "汇聚海外经销商故障与配件需求数据，预测配件需求并统一调度国内仓和海外仓发货", "海外配件订单满足率", "%", 78.0, 95.0),
            ],
        },
    },
    Spec {
        key: "P06",
        district: "500106",
        place: "沙坪坝区",
        cluster: "new_display",
        class: ("39", "397", "3974"),
        model: ChainLeaderLed,
        builder: Some("cl_display"),
        filed_by_district: false,
        leader: Some(("示例光电显示科技有限公司", 1_900_000, 260)),
        stats: Some((8_200_000, 240)),
        total: 2800,
        depth: Depth::Full,
        breakdown_sums: true,
        start_month: 5,
        months: 18,
        fate: Fate::Eligible,
        theme: Theme {
            brain: "新型显示面板良率提升",
            industry: "新型显示",
            chain: "玻璃基板、面板制造、显示模组和驱动芯片",
            pain: "面板缺陷检测依赖人工复判、上下游物料质量数据不通",
            tech: "光学检测缺陷智能判定、制程大数据分析与物料质量协同",
            revenue: "缺陷判定模型订阅、物料质量协同服务",
            scenes: [
                Scene("缺陷智能复判", "利用深度学习对自动光学检测图像进行缺陷分类复判，减少人工复判工作量并沉淀缺陷知识库", "人工复判工作量降低", "%", 0.0, 60.0),
                Scene("物料质量协同", "打通玻璃基板、偏光片等物料供应商来料质量数据，实现物料批次与面板良率关联分析", "来料异常提前发现时间", "小时", 0.0, 24.0),
            ],
        },
    },
    Spec {
        key: "P07",
        district: "500116",
        place: "江津区",
        cluster: "food_agri",
        class: ("13", "", ""),
        model: GovernmentLed,
        builder: Some("gv_jiangjin"),
        filed_by_district: true,
        leader: Some(("示例粮油食品有限公司", 620_000, 380)),
        stats: Some((3_800_000, 910)),
        total: 1500,
        depth: Depth::Full,
        breakdown_sums: true,
        start_month: 4,
        months: 15,
        fate: Fate::Eligible,
        theme: Theme {
            brain: "粮油加工质量安全",
            industry: "粮油加工",
            chain: "原粮收储、油脂压榨、精深加工和冷链物流",
            pain: "原料质量波动大、加工能耗偏高、产品溯源体系不完善",
            tech: "原料品质快速检测数据融合、加工能耗优化模型和一物一码溯源",
            revenue: "质量溯源服务费、能耗优化托管服务",
            scenes: [
                Scene("原料到成品全程溯源", "为原粮、油脂和成品赋码，关联收储、加工和检测数据，消费者扫码即可查询全过程信息", "赋码溯源产品批次覆盖率", "%", 20.0, 90.0),
                Scene("加工能耗优化", "采集压榨、精炼等工序能耗数据，建立单位产品能耗基准并推送节能优化建议", "单位产品综合能耗下降", "%", 0.0, 8.0),
            ],
        },
    },
    Spec {
        key: "P08",
        district: "500101",
        place: "万州区",
        cluster: "food_agri",
        class: ("14", "", ""),
        model: ThirdParty,
        builder: Some("tp_xiajiang"),
        filed_by_district: false,
        leader: Some(("示例特色食品有限公司", 280_000, 210)),
        stats: Some((2_600_000, 760)),
        total: 1200,
        depth: Depth::Full,
        breakdown_sums: true,
        start_month: 5,
        months: 16,
        fate: Fate::Eligible,
        theme: Theme {
            brain: "特色食品产销协同",
            industry: "特色食品",
            chain: "原料种养、食品加工、包装和电商销售",
            pain: "中小食品企业订单小而散、质量检测成本高、渠道对接难",
            tech: "食品安全风险预警模型、产销智能匹配算法与电商数据中台",
            revenue: "产销撮合佣金、委托检测服务、电商代运营服务",
            scenes: [
                Scene("产销对接撮合", "汇聚商超、电商和团餐采购需求，按产能和资质智能匹配本地食品企业并跟踪订单履约", "年撮合交易额", "万元", 3000.0, 30000.0),
                Scene("食品安全风险预警", "整合抽检、投诉和原料产地数据，对重点品类开展风险预警并向企业推送整改提示", "风险预警准确率", "%", 60.0, 85.0),
            ],
        },
    },
    Spec {
        key: "P09",
        district: "500114",
        place: "黔江区",
        cluster: "light_textile",
        class: ("17", "", ""),
        model: GovernmentLed,
        builder: Some("gv_qianjiang"),
        filed_by_district: true,
        leader: Some(("示例缫丝织造有限公司", 52_000, 95)),
        stats: Some((460_000, 180)),
        total: 800,
        depth: Depth::Full,
        breakdown_sums: true,
        start_month: 4,
        months: 18,
        fate: Fate::Eligible,
        theme: Theme {
            brain: "蚕桑丝绸订单协同",
            industry: "蚕桑丝绸",
            chain: "蚕桑种养、缫丝、织造和丝绸制品",
            pain: "蚕茧收购价格信息不对称、缫丝产能闲置与订单需求不匹配",
            tech: "茧丝质量分级模型、订单产能智能匹配与区块链溯源",
            revenue: "订单撮合服务费、丝绸品质认证服务",
            scenes: [
                Scene("订单产能匹配", "汇聚缫丝、织造企业产能与外贸订单需求，按品质等级和交期智能分配订单", "缫丝织造产能利用率", "%", 58.0, 80.0),
                Scene("茧丝质量分级溯源", "采集蚕茧收购检测数据，建立茧丝质量分级标准，支持丝绸产品从蚕茧到成品的全程溯源", "分级收购覆盖率", "%", 30.0, 85.0),
            ],
        },
    },
    Spec {
        key: "P10",
        district: "500153",
        place: "荣昌区",
        cluster: "biomedicine",
        class: ("27", "276", "2761"),
        model: GovernmentLed,
        builder: Some("gv_rongchang"),
        filed_by_district: false,
        leader: Some(("示例生物制药有限公司", 410_000, 160)),
        stats: Some((1_900_000, 230)),
        total: 1600,
        depth: Depth::Full,
        breakdown_sums: true,
        start_month: 5,
        months: 20,
        fate: Fate::Eligible,
        theme: Theme {
            brain: "生物药品合规生产",
            industry: "生物药品",
            chain: "研发、临床样品制备、商业化生产和流通",
            pain: "生产质量管理记录以纸质为主、偏差调查耗时长、监管数据重复报送",
            tech: "电子批记录、偏差智能分析和药品追溯码数据交换",
            revenue: "合规SaaS订阅、计算机化系统验证咨询服务",
            scenes: [
                Scene("生产质量合规数字化", "推广电子批记录和设备日志自动采集，保证生产过程数据完整可靠并可审计追踪", "电子批记录覆盖率", "%", 15.0, 90.0),
                Scene("偏差与变更管理", "汇聚偏差、变更和纠正预防措施数据，利用知识库辅助根因分析并跟踪整改闭环", "偏差平均关闭周期", "天", 45.0, 20.0),
            ],
        },
    },
    Spec {
        key: "P11",
        district: "500118",
        place: "永川区",
        cluster: "intelligent_equipment",
        class: ("34", "", ""),
        model: ChainLeaderLed,
        builder: Some("cl_cnc"),
        filed_by_district: false,
        leader: Some(("示例数控机床有限公司", 350_000, 190)),
        stats: Some((2_100_000, 340)),
        total: 1300,
        depth: Depth::Thin,
        breakdown_sums: true,
        start_month: 6,
        months: 12,
        fate: Fate::Eligible,
        theme: Theme {
            brain: "数控机床远程运维",
            industry: "数控机床",
            chain: "铸件、功能部件、数控系统和整机装配",
            pain: "机床故障停机损失大、售后服务半径长、备件库存分散",
            tech: "机床运行状态监测、故障预测与健康管理模型",
            revenue: "远程运维订阅、备件共享服务",
            scenes: [
                Scene("机床远程运维", "采集机床主轴、进给和数控系统运行数据，开展故障预测并派发远程诊断工单", "平均故障修复时间", "小时", 24.0, 8.0),
                Scene("备件共享", "汇聚整机厂和用户企业备件库存，实现区域内备件共享调拨", "备件库存资金占用下降", "%", 0.0, 20.0),
            ],
        },
    },
    Spec {
        key: "P12",
        district: "500102",
        place: "涪陵区",
        cluster: "advanced_materials",
        class: ("26", "", ""),
        model: ChainLeaderLed,
        builder: Some("cl_chem"),
        filed_by_district: false,
        leader: Some(("示例化工新材料有限公司", 1_800_000, 350)),
        stats: Some((12_500_000, 420)),
        total: 2400,
        depth: Depth::Full,
        breakdown_sums: true,
        start_month: 4,
        months: 20,
        fate: Fate::Eligible,
        theme: Theme {
            brain: "化工新材料安全生产与产业链协同",
            industry: "化工新材料",
            chain: "基础化工原料、精细化学品和化工新材料",
            pain: "危化品安全风险点多、园区企业间物料互供数据不通",
            tech: "危险源实时感知、安全风险预警模型与园区物料平衡优化",
            revenue: "安全监测托管服务、园区物料互供交易服务",
            scenes: [
                Scene("安全风险智能预警", "接入重大危险源温度、压力、液位和可燃气体数据，实现风险分级预警和处置闭环管理", "重大危险源在线监测覆盖率", "%", 70.0, 100.0),
                Scene("园区物料互供", "汇聚园区企业副产品与原料需求，撮合蒸汽、氢气和中间体在企业之间就近互供", "园区物料互供量增长", "%", 0.0, 25.0),
            ],
        },
    },
    Spec {
        key: "P13",
        district: "500115",
        place: "长寿区",
        cluster: "advanced_materials",
        class: ("28", "", ""),
        model: ThirdParty,
        builder: Some("tp_fiber"),
        filed_by_district: false,
        leader: Some(("示例化纤有限公司", 1_200_000, 150)),
        stats: Some((9_600_000, 180)),
        total: 1800,
        depth: Depth::Partial,
        breakdown_sums: false,
        start_month: 5,
        months: 18,
        fate: Fate::Eligible,
        theme: Theme {
            brain: "化学纤维生产质量协同",
            industry: "化学纤维",
            chain: "聚合、纺丝、加弹和织造",
            pain: "纤维品质波动、上下游批次质量信息不通、能耗成本偏高",
            tech: "纺丝工艺参数优化与纤维质量在线预测模型",
            revenue: "工艺优化服务、质量数据服务",
            scenes: [
                Scene("纤维质量在线预测", "采集聚合与纺丝工序温度、压力和速度数据，在线预测纤维强度和条干并提示工艺调整", "优等品率", "%", 88.0, 94.0),
                Scene("上下游批次质量协同", "向下游织造企业开放纤维批次质量数据，支持按批次匹配织造工艺参数", "质量异议处理周期", "天", 15.0, 5.0),
            ],
        },
    },
    Spec {
        key: "P14",
        district: "500107",
        place: "九龙坡区",
        cluster: "light_alloy",
        class: ("32", "", ""),
        model: ChainLeaderLed,
        builder: Some("cl_alu"),
        filed_by_district: false,
        leader: Some(("示例铝合金材料股份有限公司", 2_600_000, 330)),
        stats: Some((7_400_000, 300)),
        total: 2500,
        depth: Depth::Full,
        breakdown_sums: true,
        start_month: 4,
        months: 24,
        fate: Fate::Eligible,
        theme: Theme {
            brain: "铝合金材料产业链协同",
            industry: "铝合金材料",
            chain: "电解铝、熔铸、轧制挤压和精深加工",
            pain: "订单规格多批量小、熔铸能耗高、下游质量异议处理慢",
            tech: "合金成分智能设计、熔铸能耗优化与订单智能排产",
            revenue: "排产优化SaaS、能效托管服务",
            scenes: [
                Scene("小批量订单协同排产", "汇聚下游汽车、电子和轨道交通企业订单，合并同规格需求并协同安排熔铸和轧制计划", "订单准时交付率", "%", 82.0, 95.0),
                Scene("熔铸能效优化", "采集熔炼炉燃气、电耗和温度数据，建立能效基准并优化加料与保温工艺", "吨铝熔铸能耗下降", "%", 0.0, 6.0),
            ],
        },
    },
    Spec {
        key: "P15",
        district: "500105",
        place: "江北区",
        cluster: "light_textile",
        class: ("26", "268", "2683"),
        model: ChainLeaderLed,
        builder: Some("cl_oral"),
        filed_by_district: false,
        leader: Some(("示例口腔护理用品有限公司", 500_000, 120)),
        stats: Some((1_100_000, 85)),
        total: 900,
        depth: Depth::Full,
        breakdown_sums: true,
        start_month: 4,
        months: 15,
        fate: Fate::Eligible,
        theme: Theme {
            brain: "口腔清洁用品质量与供应链协同",
            industry: "口腔清洁用品",
            chain: "原辅料、膏体生产、包材和品牌营销",
            pain: "原辅料批次质量追溯难、包材供应商交付不稳定、渠道库存不透明",
            tech: "配方与批次质量关联分析、渠道库存感知与需求预测",
            revenue: "质量追溯服务、供应链协同SaaS订阅",
            scenes: [
                Scene("原辅料批次追溯", "关联原辅料、膏体和成品批次检测数据，出现质量问题时快速定位受影响批次和流向", "批次追溯时间", "小时", 24.0, 1.0),
                Scene("渠道库存协同", "汇聚经销商和电商平台库存与销售数据，预测需求并指导包材采购和生产计划", "渠道库存周转天数", "天", 60.0, 40.0),
            ],
        },
    },
    Spec {
        key: "P16",
        district: "500108",
        place: "南岸区",
        cluster: "software_info",
        class: ("65", "651", "6513"),
        model: ThirdParty,
        builder: Some("tp_software"),
        filed_by_district: false,
        leader: Some(("示例工业软件股份有限公司", 380_000, 140)),
        stats: Some((6_300_000, 1260)),
        total: 2000,
        depth: Depth::Full,
        breakdown_sums: true,
        start_month: 4,
        months: 20,
        fate: Fate::Eligible,
        theme: Theme {
            brain: "工业软件适配与应用服务",
            industry: "工业软件",
            chain: "工业软件研发、系统集成和制造企业应用",
            pain: "中小制造企业软件选型难、适配改造成本高、国产工业软件推广慢",
            tech: "工业APP组件库、低代码开发平台和软硬件适配验证环境",
            revenue: "工业APP分成、低代码平台订阅、适配验证服务",
            scenes: [
                Scene("工业软件选型适配", "建立工业软件产品库和适配验证环境，按企业行业和规模推荐软件组合并出具适配报告", "完成适配验证的软件产品", "个", 20.0, 150.0),
                Scene("工业APP共享", "汇聚软件企业开发的工业APP，面向制造企业提供订阅使用和二次开发服务", "上架工业APP数量", "个", 30.0, 300.0),
            ],
        },
    },
    Spec {
        key: "P17",
        district: "500103",
        place: "渝中区",
        cluster: "software_info",
        class: ("64", "", ""),
        model: ThirdParty,
        builder: Some("tp_data"),
        filed_by_district: false,
        leader: Some(("示例信息技术有限公司", 160_000, 60)),
        stats: Some((4_700_000, 980)),
        total: 1000,
        depth: Depth::Thin,
        breakdown_sums: true,
        start_month: 7,
        months: 12,
        fate: Fate::Eligible,
        theme: Theme {
            brain: "工业数据要素流通",
            industry: "工业数据服务",
            chain: "数据采集、加工、交易和应用",
            pain: "工业数据确权难、定价难、流通渠道少",
            tech: "数据资产登记、隐私计算和数据产品定价模型",
            revenue: "数据产品交易服务费、数据资产登记服务",
            scenes: [
                Scene("工业数据产品交易", "为制造企业的数据产品提供登记、评估和挂牌交易服务", "上架数据产品", "个", 10.0, 100.0),
                Scene("数据资产登记", "为企业数据资源提供登记和质量评价服务", "登记数据资产", "项", 0.0, 200.0),
            ],
        },
    },
    Spec {
        key: "P18",
        district: "500120",
        place: "璧山区",
        cluster: "new_energy_storage",
        class: ("38", "384", "3841"),
        model: ChainLeaderLed,
        builder: Some("cl_battery"),
        filed_by_district: false,
        leader: Some(("示例动力电池有限公司", 3_100_000, 470)),
        stats: Some((9_100_000, 260)),
        total: 3000,
        depth: Depth::Full,
        breakdown_sums: true,
        start_month: 4,
        months: 24,
        fate: Fate::Eligible,
        theme: Theme {
            brain: "锂电池碳足迹与质量追溯",
            industry: "锂离子电池",
            chain: "正负极材料、电芯制造、电池包和梯次利用",
            pain: "电池碳足迹核算缺少数据、出口合规压力大、电芯质量追溯难",
            tech: "电池护照数据模型、产品碳足迹核算引擎和电芯一码到底追溯",
            revenue: "碳足迹核算服务、电池护照数据服务",
            scenes: [
                Scene("电池碳足迹核算", "采集材料、电芯和电池包各环节能耗与物料数据，按国际通行标准核算产品碳足迹并出具报告", "完成碳足迹核算的产品型号", "个", 3.0, 60.0),
                Scene("电芯全生命周期追溯", "为电芯赋予唯一标识，贯通制造、装车、维修和梯次利用数据，实现全生命周期追溯", "电芯赋码追溯率", "%", 40.0, 100.0),
            ],
        },
    },
    Spec {
        key: "P19",
        district: "500154",
        place: "开州区",
        cluster: "light_textile",
        class: ("18", "", ""),
        model: ThirdParty,
        builder: Some("tp_xiajiang"),
        filed_by_district: false,
        leader: Some(("示例服饰有限公司", 45_000, 70)),
        stats: Some((680_000, 320)),
        total: 700,
        depth: Depth::Partial,
        breakdown_sums: true,
        start_month: 6,
        months: 15,
        fate: Fate::Eligible,
        theme: Theme {
            brain: "服装加工订单协同",
            industry: "服装加工",
            chain: "面辅料、裁剪缝制、后整理和品牌销售",
            pain: "小单快反订单增多、加工厂产能信息不透明、交期难以保障",
            tech: "订单智能拆分、工厂产能画像和生产进度实时跟踪",
            revenue: "订单撮合佣金、生产管理SaaS订阅",
            scenes: [
                Scene("小单快反订单匹配", "汇聚品牌商小批量订单和加工厂产能画像，智能拆分订单并匹配合适的加工工厂", "订单平均交付周期", "天", 25.0, 15.0),
                Scene("生产进度透明化", "通过扫码报工实时采集裁剪、缝制和后整理进度，品牌商可在线查看交期风险", "交期准时率", "%", 75.0, 92.0),
            ],
        },
    },
    Spec {
        key: "P20",
        district: "500155",
        place: "梁平区",
        cluster: "food_agri",
        class: ("14", "", ""),
        model: GovernmentLed,
        builder: Some("gv_liangping"),
        filed_by_district: true,
        leader: Some(("示例预制菜食品有限公司", 90_000, 110)),
        stats: Some((1_300_000, 410)),
        total: 900,
        depth: Depth::Thin,
        breakdown_sums: true,
        start_month: 5,
        months: 14,
        fate: Fate::Eligible,
        theme: Theme {
            brain: "预制菜产业协同",
            industry: "预制菜",
            chain: "原料种养、中央厨房、冷链配送和餐饮终端",
            pain: "冷链配送成本高、产品标准不统一、食品安全追溯难",
            tech: "冷链温控监测和订单配送路径优化",
            revenue: "冷链调度服务费、品牌营销服务",
            scenes: [
                Scene("冷链配送协同", "汇聚中央厨房订单与冷链车辆位置、温度数据，统一调度配送", "冷链配送准时率", "%", 85.0, 97.0),
                Scene("食品安全追溯", "关联原料批次、加工记录和配送温度，实现预制菜产品追溯", "追溯覆盖率", "%", 30.0, 90.0),
            ],
        },
    },
    Spec {
        key: "P21",
        district: "500240",
        place: "石柱县",
        cluster: "biomedicine",
        class: ("27", "", ""),
        model: GovernmentLed,
        builder: Some("gv_shizhu"),
        filed_by_district: true,
        leader: Some(("示例中药饮片有限公司", 38_000, 45)),
        stats: Some((350_000, 95)),
        total: 650,
        depth: Depth::Partial,
        breakdown_sums: true,
        start_month: 5,
        months: 18,
        fate: Fate::Eligible,
        theme: Theme {
            brain: "中药材产地加工质量追溯",
            industry: "中药材加工",
            chain: "中药材种植、产地初加工、饮片生产和流通",
            pain: "药材品质不稳定、产地加工标准化程度低、质量追溯链条断裂",
            tech: "药材品质快速检测数据融合和种植加工全程追溯",
            revenue: "质量追溯认证服务、药材分级交易服务费",
            scenes: [
                Scene("药材种植加工追溯", "记录药材种植、采收和产地加工关键环节数据，为每批药材形成可信追溯档案", "追溯覆盖种植面积", "亩", 5000.0, 40000.0),
                Scene("药材质量分级交易", "依据检测数据对药材分级定价，对接饮片企业和制药企业的采购需求", "分级交易量", "吨", 200.0, 1500.0),
            ],
        },
    },
    Spec {
        key: "P22",
        district: "500241",
        place: "秀山县",
        cluster: "food_agri",
        class: ("13", "", ""),
        model: ThirdParty,
        builder: Some("tp_wuling"),
        filed_by_district: false,
        leader: None,
        stats: Some((520_000, 260)),
        total: 600,
        depth: Depth::Thin,
        breakdown_sums: true,
        start_month: 6,
        months: 12,
        fate: Fate::Eligible,
        theme: Theme {
            brain: "山地农产品加工与电商协同",
            industry: "农产品加工",
            chain: "种植基地、初加工、仓储物流和电商销售",
            pain: "加工能力分散、电商订单波动大、物流成本高",
            tech: "电商订单预测和共享加工设备调度",
            revenue: "电商代运营服务、共享加工服务费",
            scenes: [
                Scene("电商订单协同", "汇聚各电商平台订单，协调加工企业按需备货", "线上销售额", "万元", 5000.0, 20000.0),
                Scene("加工产能共享", "调度共享烘干、分拣和包装设备，服务小微加工户", "共享加工设备利用率", "%", 40.0, 70.0),
            ],
        },
    },
    Spec {
        key: "P23",
        district: "500156",
        place: "武隆区",
        cluster: "food_agri",
        class: ("15", "", ""),
        model: GovernmentLed,
        builder: Some("gv_wulong"),
        filed_by_district: true,
        leader: None,
        stats: Some((210_000, 75)),
        total: 500,
        depth: Depth::Thin,
        breakdown_sums: true,
        start_month: 7,
        months: 12,
        fate: Fate::Eligible,
        theme: Theme {
            brain: "高山茶饮加工",
            industry: "茶饮加工",
            chain: "茶园种植、茶叶初制、精制拼配和品牌销售",
            pain: "加工工艺依赖经验、品质不稳定、品牌影响力弱",
            tech: "制茶工艺参数采集和品质评价模型",
            revenue: "工艺服务费、品牌营销服务",
            scenes: [
                Scene("茶叶加工工艺优化", "采集杀青、揉捻和烘干工艺参数，形成标准工艺", "优质茶叶比例", "%", 55.0, 75.0),
                Scene("茶饮品牌营销协同", "统一区域品牌，汇聚销售数据指导生产", "品牌产品销售额", "万元", 3000.0, 8000.0),
            ],
        },
    },
    Spec {
        key: "P24",
        district: "500110",
        place: "綦江区",
        cluster: "intelligent_equipment",
        class: ("34", "", ""),
        model: ChainLeaderLed,
        builder: Some("cl_gear"),
        filed_by_district: false,
        leader: Some(("示例齿轮传动有限公司", 1_100_000, 280)),
        stats: Some((3_300_000, 390)),
        total: 1900,
        depth: Depth::Full,
        breakdown_sums: true,
        start_month: 4,
        months: 18,
        fate: Fate::Eligible,
        theme: Theme {
            brain: "齿轮传动装备协同制造",
            industry: "齿轮传动装备",
            chain: "锻造毛坯、齿轮加工、热处理和变速器总成",
            pain: "热处理等共性工序产能分散、质量一致性差、订单交付周期长",
            tech: "热处理工艺数字孪生、共享工厂调度和质量统计过程控制",
            revenue: "共享工厂调度服务费、工艺优化服务",
            scenes: [
                Scene("热处理共享工厂", "汇聚区域内热处理炉产能，按工艺要求和交期统一调度中小企业的热处理订单", "热处理设备利用率", "%", 52.0, 78.0),
                Scene("齿轮质量一致性管控", "采集齿轮加工和热处理关键参数，开展统计过程控制并及时预警质量异常", "齿轮加工一次合格率", "%", 93.0, 98.0),
            ],
        },
    },
    Spec {
        key: "P25",
        district: "CQWS",
        place: "万盛经开区",
        cluster: "advanced_materials",
        class: ("30", "", ""),
        model: ChainLeaderLed,
        builder: Some("cl_glass"),
        filed_by_district: false,
        leader: Some(("示例玻璃新材料有限公司", 420_000, 130)),
        stats: Some((1_600_000, 150)),
        total: 1100,
        depth: Depth::Partial,
        breakdown_sums: true,
        start_month: 5,
        months: 18,
        fate: Fate::Eligible,
        theme: Theme {
            brain: "玻璃新材料生产协同",
            industry: "玻璃新材料",
            chain: "石英砂原料、浮法玻璃、深加工和光伏玻璃",
            pain: "窑炉能耗高、深加工订单规格多、原料质量波动",
            tech: "窑炉燃烧优化模型和深加工订单排产算法",
            revenue: "能效优化服务、订单排产SaaS订阅",
            scenes: [
                Scene("窑炉能效优化", "采集窑炉温度、燃料和原料配比数据，优化燃烧控制并降低单位产品能耗", "单位产品综合能耗下降", "%", 0.0, 5.0),
                Scene("深加工订单协同", "汇聚钢化、镀膜和中空玻璃深加工订单，协同安排原片供应与加工排产", "原片库存周转天数", "天", 30.0, 18.0),
            ],
        },
    },
    Spec {
        key: "P26",
        district: "500117",
        place: "合川区",
        cluster: "new_energy_storage",
        class: ("38", "384", "3841"),
        model: ThirdParty,
        builder: Some("tp_energy"),
        filed_by_district: false,
        leader: Some(("示例储能系统有限公司", 300_000, 90)),
        stats: Some((2_400_000, 120)),
        total: 1400,
        depth: Depth::Partial,
        breakdown_sums: true,
        start_month: 6,
        months: 18,
        fate: Fate::Eligible,
        theme: Theme {
            brain: "储能电池运行安全",
            industry: "储能电池",
            chain: "电芯制造、储能系统集成、电站运营和回收利用",
            pain: "储能电站热失控风险高、电池衰减评估缺乏数据、运维响应慢",
            tech: "电池健康状态评估、热失控早期预警和远程运维",
            revenue: "安全监测订阅、运维服务费",
            scenes: [
                Scene("储能安全预警", "接入储能电站电池簇电压、温度和气体数据，对热失控风险进行早期预警并联动处置", "安全预警提前时间", "分钟", 0.0, 30.0),
                Scene("电池健康评估", "基于运行数据评估电池健康状态，为梯次利用和回收定价提供可信依据", "健康状态评估误差", "%", 8.0, 3.0),
            ],
        },
    },
    Spec {
        key: "P27",
        district: "500111",
        place: "大足区",
        cluster: "intelligent_equipment",
        class: ("33", "", ""),
        model: GovernmentLed,
        builder: Some("gv_dazu"),
        filed_by_district: true,
        leader: Some(("示例刀具制造有限公司", 260_000, 310)),
        stats: Some((2_900_000, 1480)),
        total: 1700,
        depth: Depth::Full,
        breakdown_sums: true,
        start_month: 4,
        months: 18,
        fate: Fate::Eligible,
        theme: Theme {
            brain: "五金刀具产业协同",
            industry: "五金刀具",
            chain: "钢材原料、锻打成型、热处理、刃口加工和电商销售",
            pain: "小微企业多、工艺标准不统一、品牌溢价低、电商渠道分散",
            tech: "刃口质量视觉检测、共享热处理中心调度和品牌电商数据中台",
            revenue: "共享工序服务费、质检认证服务、电商代运营",
            scenes: [
                Scene("共享热处理与质检", "建设共享热处理与刃口质检中心调度系统，中小企业可在线预约加工和检测服务", "刀具产品抽检合格率", "%", 86.0, 96.0),
                Scene("区域品牌电商协同", "汇聚各电商平台销售与评价数据，指导企业按需生产并统一使用区域公共品牌", "线上销售额", "万元", 80000.0, 150000.0),
            ],
        },
    },
    Spec {
        key: "P28",
        district: "500151",
        place: "铜梁区",
        cluster: "light_alloy",
        class: ("32", "", ""),
        model: ThirdParty,
        builder: Some("tp_metal"),
        filed_by_district: false,
        leader: Some(("示例再生铝业有限公司", 230_000, 100)),
        stats: Some((1_800_000, 210)),
        total: 950,
        depth: Depth::Thin,
        breakdown_sums: false,
        start_month: 6,
        months: 12,
        fate: Fate::Eligible,
        theme: Theme {
            brain: "再生铝资源循环",
            industry: "再生铝",
            chain: "废铝回收、分选预处理、熔炼和铝合金锭",
            pain: "废铝来源分散、成分波动大、回收交易不规范",
            tech: "废铝光谱分选和成分配比优化",
            revenue: "回收交易服务费、成分检测服务",
            scenes: [
                Scene("废铝回收交易", "汇聚回收站点废铝供给，撮合再生铝企业采购", "年回收交易量", "吨", 50000.0, 150000.0),
                Scene("再生铝成分管控", "采集熔炼光谱数据，优化合金配比", "成分合格率", "%", 90.0, 97.0),
            ],
        },
    },
    Spec {
        key: "P29",
        district: "500152",
        place: "潼南区",
        cluster: "advanced_materials",
        class: ("26", "", ""),
        model: ChainLeaderLed,
        builder: Some("cl_coating"),
        filed_by_district: false,
        leader: Some(("示例涂料有限公司", 340_000, 85)),
        stats: Some((1_400_000, 160)),
        total: 1250,
        depth: Depth::Partial,
        breakdown_sums: true,
        start_month: 5,
        months: 16,
        fate: Fate::Eligible,
        theme: Theme {
            brain: "涂料与精细化工安全协同",
            industry: "涂料及精细化工",
            chain: "树脂、颜填料、助剂和涂料制品",
            pain: "小批量多品种生产、危化品仓储安全压力大、配方研发周期长",
            tech: "配方知识图谱和危化品仓储安全监测",
            revenue: "配方研发服务、安全监测托管服务",
            scenes: [
                Scene("配方辅助研发", "沉淀涂料配方与性能测试数据，利用知识图谱推荐配方，减少研发试验次数", "新品研发周期", "天", 90.0, 50.0),
                Scene("危化品仓储安全", "接入仓库温湿度、可燃气体和视频监控数据，实现危化品仓储风险实时预警", "安全隐患整改闭环率", "%", 80.0, 100.0),
            ],
        },
    },
    Spec {
        key: "P30",
        district: "500119",
        place: "南川区",
        cluster: "biomedicine",
        class: ("27", "", ""),
        model: ThirdParty,
        builder: Some("tp_herb"),
        filed_by_district: false,
        leader: Some(("示例中药制药有限公司", 120_000, 55)),
        stats: Some((900_000, 130)),
        total: 850,
        depth: Depth::Thin,
        breakdown_sums: true,
        start_month: 7,
        months: 12,
        fate: Fate::Eligible,
        theme: Theme {
            brain: "中医药产业协同",
            industry: "中医药",
            chain: "道地药材种植、饮片加工、中成药制造和流通",
            pain: "药材质量参差、交易信息不透明",
            tech: "药材质量检测数据共享和交易撮合",
            revenue: "交易服务费、检测服务",
            scenes: [
                Scene("道地药材交易", "汇聚药材供需信息，撮合线上交易", "交易额", "万元", 2000.0, 10000.0),
                Scene("中药饮片质量管控", "共享饮片检测数据，开展质量监测", "抽检合格率", "%", 92.0, 98.0),
            ],
        },
    },
    Spec {
        key: "P31",
        district: "500109",
        place: "北碚区",
        cluster: "intelligent_equipment",
        class: ("40", "", ""),
        model: ChainLeaderLed,
        builder: Some("cl_meter"),
        filed_by_district: false,
        leader: Some(("示例仪器仪表有限公司", 700_000, 240)),
        stats: Some((2_200_000, 260)),
        total: 1600,
        depth: Depth::Full,
        breakdown_sums: true,
        start_month: 5,
        months: 18,
        fate: Fate::Sealed,
        theme: Theme {
            brain: "工业仪器仪表质量与服务协同",
            industry: "工业仪器仪表",
            chain: "传感器、核心部件、整机制造和运维服务",
            pain: "核心部件依赖外地配套、现场运维响应慢、计量检定数据分散",
            tech: "仪表运行状态远程诊断、计量检定数据链和零部件质量协同",
            revenue: "远程诊断订阅、检定校准服务费",
            scenes: [
                Scene("仪表远程诊断", "采集在役仪表运行与报警数据，远程诊断故障并指导用户现场维护", "现场服务响应时间", "小时", 48.0, 12.0),
                Scene("计量检定数据协同", "汇聚企业计量检定和校准数据，自动提醒到期检定并生成合规报告", "检定到期提醒覆盖率", "%", 30.0, 100.0),
            ],
        },
    },
    Spec {
        key: "P32",
        district: "500236",
        place: "奉节县",
        cluster: "food_agri",
        class: ("13", "", ""),
        model: GovernmentLed,
        builder: Some("gv_fengjie"),
        filed_by_district: true,
        leader: Some(("示例脐橙加工有限公司", 30_000, 40)),
        stats: Some((400_000, 190)),
        total: 560,
        depth: Depth::Thin,
        breakdown_sums: true,
        start_month: 6,
        months: 12,
        fate: Fate::Sealed,
        theme: Theme {
            brain: "脐橙加工与产销协同",
            industry: "脐橙加工",
            chain: "果园种植、分选加工、冷藏仓储和电商销售",
            pain: "分选加工能力不足、销售季节集中",
            tech: "果品分选视觉识别和销售预测",
            revenue: "分选加工服务费、电商服务",
            scenes: [
                Scene("分选加工调度", "统一调度分选线，按订单分级包装", "分选加工能力利用率", "%", 60.0, 85.0),
                Scene("产销对接", "汇聚电商和批发订单，协调产地发货", "线上销售量", "吨", 30000.0, 80000.0),
            ],
        },
    },
    Spec {
        key: "P33",
        district: "500104",
        place: "大渡口区",
        cluster: "biomedicine",
        class: ("27", "276", "2761"),
        model: ThirdParty,
        builder: Some("tp_bio"),
        filed_by_district: false,
        leader: Some(("示例生物技术有限公司", 260_000, 75)),
        stats: Some((1_200_000, 110)),
        total: 2100,
        depth: Depth::Full,
        breakdown_sums: true,
        start_month: 5,
        months: 18,
        fate: Fate::Ineligible(INELIGIBLE_P33),
        theme: Theme {
            brain: "生物药品研发外包服务",
            industry: "生物药品研发",
            chain: "药物发现、工艺开发、临床样品生产和注册申报",
            pain: "中小创新药企研发外包需求分散、实验数据管理不规范",
            tech: "实验室信息管理、研发项目协同和数据完整性审计",
            revenue: "研发外包撮合服务费、实验室信息管理系统订阅",
            scenes: [
                Scene("研发外包撮合", "汇聚创新药企的工艺开发和检测需求，匹配本地研发外包服务机构并跟踪项目进度", "撮合项目数", "个", 10.0, 80.0),
                Scene("实验数据完整性管理", "推广电子实验记录本和实验室信息管理系统，实现实验数据全程留痕和可追溯", "电子实验记录覆盖率", "%", 20.0, 80.0),
            ],
        },
    },
    Spec {
        key: "P34",
        district: "500231",
        place: "垫江县",
        cluster: "advanced_materials",
        class: ("30", "", ""),
        model: GovernmentLed,
        builder: Some("gv_dianjiang"),
        filed_by_district: true,
        leader: None,
        stats: None,
        total: 1000,
        depth: Depth::Sketch,
        breakdown_sums: true,
        start_month: 7,
        months: 12,
        fate: Fate::Ineligible(INELIGIBLE_P34),
        theme: Theme {
            brain: "绿色建材",
            industry: "绿色建材",
            chain: "水泥、新型墙材和装配式构件",
            pain: "产能利用率低、能耗高",
            tech: "能耗监测",
            revenue: "能效服务",
            scenes: [
                Scene("能耗监测", "采集建材企业能耗数据", "能耗下降", "%", 0.0, 5.0),
                Scene("产销对接", "对接建筑工地需求", "撮合订单", "单", 0.0, 500.0),
            ],
        },
    },
    Spec {
        key: "P35",
        district: "500242",
        place: "酉阳县",
        cluster: "food_agri",
        class: ("13", "", ""),
        model: GovernmentLed,
        builder: Some("gv_youyang"),
        filed_by_district: true,
        leader: Some(("示例山地食品有限公司", 15_000, 25)),
        stats: Some((180_000, 60)),
        total: 520,
        depth: Depth::Thin,
        breakdown_sums: true,
        start_month: 7,
        months: 12,
        fate: Fate::Ineligible(INELIGIBLE_P35),
        theme: Theme {
            brain: "山地特色农产品加工",
            industry: "特色农产品加工",
            chain: "种植基地、初加工和电商销售",
            pain: "加工企业规模小、标准化程度低",
            tech: "农产品加工标准库",
            revenue: "加工服务费",
            scenes: [
                Scene("加工标准推广", "推广特色农产品加工标准", "标准化加工企业", "家", 5.0, 30.0),
                Scene("电商销售协同", "统一组织线上销售", "线上销售额", "万元", 1000.0, 5000.0),
            ],
        },
    },
    Spec {
        key: "P36",
        district: "500233",
        place: "忠县",
        cluster: "new_energy_storage",
        class: ("38", "384", "3841"),
        model: ThirdParty,
        builder: Some("tp_energy"),
        filed_by_district: false,
        leader: Some(("示例锂电科技有限公司", 900_000, 200)),
        stats: Some((3_600_000, 140)),
        total: 2300,
        depth: Depth::Full,
        breakdown_sums: true,
        start_month: 5,
        months: 20,
        fate: Fate::Submitted,
        theme: Theme {
            brain: "锂电池材料与电芯制造协同",
            industry: "锂电池",
            chain: "锂电材料、电芯制造、电池模组和检测认证",
            pain: "材料批次一致性差、电芯制造良率爬坡慢、检测认证周期长",
            tech: "材料批次质量关联分析、电芯制造过程质量预测和检测数据互认",
            revenue: "质量分析服务、检测认证协同服务",
            scenes: [
                Scene("材料与电芯质量关联", "贯通正负极材料批次检测数据与电芯制造数据，分析材料波动对电芯良率的影响", "电芯制造良率", "%", 88.0, 94.0),
                Scene("检测认证协同", "汇聚检测机构和企业检测数据，实现检测报告在线互认和认证进度实时跟踪", "检测认证周期", "天", 60.0, 35.0),
            ],
        },
    },
    Spec {
        key: "P37",
        district: "500243",
        place: "彭水县",
        cluster: "food_agri",
        class: ("14", "", ""),
        model: GovernmentLed,
        builder: Some("gv_pengshui"),
        filed_by_district: true,
        leader: Some(("示例民族风味食品有限公司", 22_000, 30)),
        stats: Some((260_000, 90)),
        total: 580,
        depth: Depth::Partial,
        breakdown_sums: true,
        start_month: 6,
        months: 15,
        fate: Fate::Submitted,
        theme: Theme {
            brain: "民族特色食品加工",
            industry: "民族特色食品",
            chain: "原料种养、特色食品加工、包装和电商销售",
            pain: "加工工艺传承靠师傅带徒、产品标准化程度低、品牌分散",
            tech: "传统工艺数字化建模和产品质量检测数据共享",
            revenue: "品牌授权服务费、电商代运营服务",
            scenes: [
                Scene("传统工艺标准化", "采集腌制、熏制等传统工艺关键参数，形成可复制的数字化工艺标准并推广应用", "标准化生产企业数", "家", 3.0, 40.0),
                Scene("区域品牌电商", "以区域公共品牌统一组织线上销售，汇聚销售数据指导企业按需生产", "线上销售额", "万元", 1500.0, 6000.0),
            ],
        },
    },
    Spec {
        key: "P38",
        district: "CQGX",
        place: "西部科学城重庆高新区",
        cluster: "software_info",
        class: ("65", "651", "6513"),
        model: ThirdParty,
        builder: Some("tp_gxsoft"),
        filed_by_district: false,
        leader: Some(("示例智能软件有限公司", 210_000, 80)),
        stats: Some((5_200_000, 860)),
        total: 1150,
        depth: Depth::Thin,
        breakdown_sums: false,
        start_month: 6,
        months: 12,
        fate: Fate::Returned(RETURNED_P38),
        theme: Theme {
            brain: "工业APP开发与测评",
            industry: "工业应用软件",
            chain: "工业APP开发、测评认证和推广应用",
            pain: "工业APP质量参差、缺少测评",
            tech: "工业APP自动化测评",
            revenue: "测评服务费",
            scenes: [
                Scene("工业APP测评", "对工业APP开展功能和安全测评", "完成测评APP", "个", 0.0, 200.0),
                Scene("工业APP推广", "向制造企业推荐测评合格的APP", "推广企业数", "家", 0.0, 300.0),
            ],
        },
    },
    Spec {
        key: "P39",
        district: "500235",
        place: "云阳县",
        cluster: "food_agri",
        class: ("13", "", ""),
        model: GovernmentLed,
        builder: None,
        filed_by_district: true,
        leader: None,
        stats: Some((300_000, 110)),
        total: 0,
        depth: Depth::Sketch,
        breakdown_sums: true,
        start_month: 7,
        months: 12,
        fate: Fate::Draft,
        theme: Theme {
            brain: "柑橘精深加工",
            industry: "柑橘加工",
            chain: "柑橘种植、鲜果分选和果汁加工",
            pain: "精深加工比例低",
            tech: "待定",
            revenue: "待定",
            scenes: [
                Scene("鲜果分选", "分选鲜果", "分选量", "吨", 0.0, 10000.0),
                Scene("果汁加工", "加工果汁", "加工量", "吨", 0.0, 5000.0),
            ],
        },
    },
    Spec {
        key: "P40",
        district: "500102",
        place: "涪陵区",
        cluster: "food_agri",
        class: ("13", "", ""),
        model: ChainLeaderLed,
        builder: Some("cl_pickle"),
        filed_by_district: false,
        leader: Some(("示例榨菜食品有限公司", 320_000, 160)),
        stats: Some((1_050_000, 140)),
        total: 1350,
        depth: Depth::Partial,
        breakdown_sums: true,
        start_month: 6,
        months: 18,
        fate: Fate::Draft,
        theme: Theme {
            brain: "榨菜产业协同",
            industry: "榨菜加工",
            chain: "青菜头种植、盐渍初加工、精加工和销售",
            pain: "原料收购季节集中、盐渍池容量与订单不匹配、高盐废水处理压力大",
            tech: "原料收储调度模型与高盐废水在线监测",
            revenue: "收储调度服务费、品牌营销服务",
            scenes: [
                Scene("青菜头收储调度", "汇聚种植面积、采收进度和加工企业盐渍池容量数据，统一调度收购与初加工", "原料损耗率", "%", 8.0, 4.0),
                Scene("高盐废水监测", "接入加工企业废水排放在线监测数据，预警超标排放并辅助企业开展治理", "废水达标排放率", "%", 90.0, 100.0),
            ],
        },
    },
];

// ---------------------------------------------------------------------------------------------
// Building the form and the plan
// ---------------------------------------------------------------------------------------------

fn text(value: impl Into<String>) -> Option<String> {
    Some(value.into())
}

fn code(value: &str) -> Option<String> {
    (!value.is_empty()).then(|| value.to_owned())
}

fn wan(amount: i64) -> Option<Money> {
    Money::from_hundredths(amount.saturating_mul(100)).ok()
}

fn hundredths(amount: i64) -> Option<Money> {
    Money::from_hundredths(amount).ok()
}

fn form(index: usize, spec: &Spec) -> ProposalForm {
    let sketch = spec.depth == Depth::Sketch;
    let (major, middle, minor) = spec.class;
    ProposalForm {
        brain_name: text(format!("{}行业产业大脑", spec.theme.brain)),
        district_code: text(spec.district),
        cluster_code: text(spec.cluster),
        industry_class: IndustryClassRef {
            major: code(major),
            middle: code(middle),
            minor: code(minor),
        },
        builder_organisation_id: None,
        chain_leader: match spec.leader {
            Some((name, scale, suppliers)) => ChainLeader {
                name: text(name),
                scale: wan(scale),
                in_city_suppliers: Some(suppliers),
            },
            None => ChainLeader::default(),
        },
        cluster_stats: match spec.stats {
            Some((scale, enterprises)) => ClusterStats {
                scale: wan(scale),
                enterprise_count: Some(enterprises),
                data_year: Some(2022),
            },
            None => ClusterStats::default(),
        },
        construction_model: Some(spec.model),
        contact: ProposalContact {
            name: text(format!("示例联系人{:02}", index + 1)),
            phone: (!sketch || spec.builder.is_some())
                .then(|| format!("023-6000-{:04}", index + 1)),
        },
    }
}

fn plan(spec: &Spec, builder: &str) -> ProposalPlan {
    match spec.depth {
        Depth::Full => full_plan(spec, builder),
        Depth::Partial => partial_plan(spec, builder),
        Depth::Thin => thin_plan(spec, builder),
        Depth::Sketch => sketch_plan(spec),
    }
}

fn date(spec: &Spec, months_after_start: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(2024, spec.start_month, 1)?
        .checked_add_months(Months::new(months_after_start))
}

/// The last day of the construction period.
fn end_date(spec: &Spec) -> Option<NaiveDate> {
    date(spec, spec.months)?.pred_opt()
}

/// Splits `total` 万元 by the percentages; the last line takes the remainder so that the lines sum
/// exactly, and then `surplus` hundredths are added to it (a mismatch on purpose when non-zero).
fn split(total: i64, percents: &[i64], surplus: i64) -> Vec<i64> {
    let total = total * 100;
    let mut amounts: Vec<i64> = percents.iter().map(|p| total * p / 100).collect();
    let assigned: i64 = amounts.iter().sum();
    if let Some(last) = amounts.last_mut() {
        *last += total - assigned + surplus;
    }
    amounts
}

fn model_text(spec: &Spec, builder: &str) -> String {
    let industry = spec.theme.industry;
    match spec.model {
        GovernmentLed => format!(
            "采用政府主导建设模式，由区县政府平台企业{builder}牵头，联合{industry}链上骨干企业和专业服务商共同建设运营。"
        ),
        ChainLeaderLed => format!(
            "采用链主企业建设模式，由链主企业{builder}牵头，带动上下游配套企业共同参与数据共享和应用建设。"
        ),
        ThirdParty => format!(
            "采用第三方平台建设模式，由第三方平台企业{builder}牵头，联合{industry}链主企业和行业协会共同建设。"
        ),
    }
}

/// Funding sources by construction model: `(source, percent)`.
fn source_shares(model: ConstructionModel) -> &'static [(&'static str, i64)] {
    match model {
        GovernmentLed => &[("区县财政配套资金", 50), ("平台企业自筹", 50)],
        ChainLeaderLed => &[("链主企业自筹", 70), ("区县产业发展专项资金", 30)],
        ThirdParty => &[
            ("第三方平台企业自筹", 60),
            ("链主企业及合作企业投入", 25),
            ("区县产业发展专项资金", 15),
        ],
    }
}

fn full_funding(spec: &Spec) -> PlanFunding {
    let lines: [(&str, i64, String); 4] = [
        (
            "平台软件开发",
            40,
            format!(
                "按功能模块工作量测算，约{}人月，人月单价按2万元计",
                spec.total / 5
            ),
        ),
        (
            "数据治理与标准建设",
            20,
            "按接入企业数和数据项数量测算".to_owned(),
        ),
        (
            "算力、网络与安全保障",
            25,
            "按三年云资源租用费用和等级保护测评费用测算".to_owned(),
        ),
        (
            "运营推广与人员培训",
            15,
            "按推广活动场次和培训人次测算".to_owned(),
        ),
    ];
    let percents: Vec<i64> = lines.iter().map(|l| l.1).collect();
    let surplus = if spec.breakdown_sums {
        0
    } else {
        spec.total * 100 / 20
    };
    let amounts = split(spec.total, &percents, surplus);
    let shares = source_shares(spec.model);
    let source_percents: Vec<i64> = shares.iter().map(|s| s.1).collect();
    let source_amounts = split(spec.total, &source_percents, 0);
    PlanFunding {
        total: wan(spec.total),
        breakdown: lines
            .iter()
            .zip(amounts)
            .map(|((item, _, note), amount)| FundingItem {
                item: text(*item),
                amount: hundredths(amount),
                note: text(note.as_str()),
            })
            .collect(),
        sources: shares
            .iter()
            .zip(source_amounts)
            .map(|((source, _), amount)| FundingSource {
                source: text(*source),
                amount: hundredths(amount),
            })
            .collect(),
    }
}

/// How many enterprises the brain promises to connect.
fn reach(spec: &Spec) -> u32 {
    spec.stats.map_or(20, |(_, n)| (n * 2 / 5).max(20))
}

fn full_plan(spec: &Spec, builder: &str) -> ProposalPlan {
    let t = &spec.theme;
    let [s1, s2] = t.scenes;
    let enterprises = spec
        .stats
        .map_or_else(|| "一批".to_owned(), |(_, n)| n.to_string());
    let end_year = end_date(spec).map_or(2025, |d| chrono::Datelike::year(&d));
    let reach = reach(spec);
    let sources: Vec<&str> = source_shares(spec.model).iter().map(|s| s.0).collect();
    let staff = (spec.total / 100).clamp(8, 40);
    let output = (spec.total / 100).max(3);
    ProposalPlan {
        basis: text(format!(
            "{}{}产业已形成{}等环节较为完整的产业链，集聚企业{enterprises}家，但{}等问题依然突出，中小企业数字化转型基础薄弱。",
            spec.place, t.industry, t.chain, t.pain
        )),
        introduction: PlanIntroduction {
            goal: text(format!(
                "建设{}行业产业大脑，贯通{}等环节数据，到{end_year}年接入链上企业{reach}家以上，形成可复制推广的行业级数字化解决方案。",
                t.brain, t.chain
            )),
            investment_summary: text(format!(
                "项目总投资{}万元，主要用于平台软件开发、数据治理、算力与安全保障和运营推广，资金由{}共同筹措。",
                spec.total,
                sources.join("、")
            )),
            model: text(model_text(spec, builder)),
            builder: text(format!(
                "建设主体为{builder}，在{}领域具备数据积累、平台研发和运营服务能力，负责项目建设、数据汇聚与长期运营。",
                t.industry
            )),
        },
        funding: full_funding(spec),
        content: PlanContent {
            summary: text(format!(
                "围绕{}等环节，建设行业数据中台、{}和{}等应用，以及面向中小企业的公共服务门户，形成“平台+数据+应用+服务”的行业大脑体系。",
                t.chain, s1.0, s2.0
            )),
            tasks: vec![
                PlanTask {
                    name: text("行业数据中台"),
                    description: text(format!(
                        "制定{}行业数据标准，汇聚链上企业生产、质量、物流和交易数据，建设主数据与数据资产目录",
                        t.industry
                    )),
                },
                PlanTask {
                    name: text(format!("{}应用", s1.0)),
                    description: text(s1.1),
                },
                PlanTask {
                    name: text(format!("{}应用", s2.0)),
                    description: text(s2.1),
                },
                PlanTask {
                    name: text("中小企业公共服务门户"),
                    description: text(
                        "面向中小企业提供数字化诊断评估、轻量化SaaS工具和培训服务，降低数字化转型门槛",
                    ),
                },
            ],
        },
        scenarios: vec![
            PlanScenario {
                name: text(s1.0),
                description: text(format!("{}，面向{}链上企业开放使用。", s1.1, t.industry)),
                kpis: vec![
                    kpi(&s1, true),
                    PlanKpi {
                        name: text("接入链上企业数"),
                        unit: text("家"),
                        baseline: Some(0.0),
                        target: Some(f64::from(reach)),
                    },
                ],
            },
            PlanScenario {
                name: text(s2.0),
                description: text(format!("{}，面向{}链上企业开放使用。", s2.1, t.industry)),
                kpis: vec![kpi(&s2, true)],
            },
        ],
        technology: PlanTechnology {
            architecture: text(format!(
                "采用“云—边—端”分层架构：边缘侧采集设备与业务数据，平台侧建设{}行业数据中台和模型库，应用侧部署{}、{}等场景应用。",
                t.industry, s1.0, s2.0
            )),
            key_technologies: text(format!(
                "重点应用{}，并结合工业互联网标识解析和隐私计算技术，实现跨企业数据可用不可见。",
                t.tech
            )),
            innovations: text(format!(
                "以{}为牵引，把行业工艺知识沉淀为可复用的模型组件和轻量化服务包，形成链主带动、中小企业低成本接入的协同机制。",
                t.brain
            )),
        },
        operation: PlanOperation {
            operator: text(format!(
                "由{builder}负责运营，组建不少于{staff}人的专职运营团队，覆盖数据治理、应用开发、客户服务和安全运维等岗位。"
            )),
            model: text(
                "坚持“政府引导、企业主体、市场化运营”，基础数据服务面向链上企业免费开放，增值应用按需订阅，功能迭代由建设主体持续投入。",
            ),
            self_funding: text(format!(
                "通过{}等方式获取收入，预计运营第三年收入覆盖运维成本，实现“自我造血”和持续迭代。",
                t.revenue
            )),
        },
        benefits: PlanBenefits {
            economic: text(format!(
                "预计建成后三年带动链上企业新增产值约{output}亿元，平台运营年收入约{}万元。",
                spec.total / 4
            )),
            social: text(format!(
                "推动{}产业链数据汇聚共享，提升产业资源配置效率和本地配套水平，助力{}打造数字化转型标杆。",
                t.industry, spec.place
            )),
            sme_cost_reduction: text(
                "中小企业通过轻量化SaaS按需使用数字化服务，预计平均降低数字化改造成本30%以上，并缩短订单交付周期。",
            ),
        },
        schedule: PlanSchedule {
            start: date(spec, 0),
            milestones: vec![
                PlanMilestone {
                    name: text("完成需求调研与总体设计"),
                    due: date(spec, spec.months / 6),
                },
                PlanMilestone {
                    name: text("行业数据中台及首批应用上线试运行"),
                    due: date(spec, spec.months / 2),
                },
                PlanMilestone {
                    name: text("推广接入链上企业并提请验收"),
                    due: date(spec, spec.months * 5 / 6),
                },
            ],
            end: end_date(spec),
        },
    }
}

fn kpi(scene: &Scene, full: bool) -> PlanKpi {
    PlanKpi {
        name: text(scene.2),
        unit: full.then(|| scene.3.to_owned()),
        baseline: full.then_some(scene.4),
        target: Some(scene.5),
    }
}

/// A full plan with the technology section left out, the self-funding and two benefits unanswered,
/// and the last milestone undated.
fn partial_plan(spec: &Spec, builder: &str) -> ProposalPlan {
    let mut plan = full_plan(spec, builder);
    plan.technology = PlanTechnology::default();
    plan.operation.self_funding = None;
    plan.benefits.social = None;
    plan.benefits.sme_cost_reduction = None;
    if let Some(last) = plan.schedule.milestones.last_mut() {
        last.due = None;
    }
    plan
}

/// Every section answered in a line or two; one task; KPIs without unit and baseline; no milestones.
fn thin_plan(spec: &Spec, builder: &str) -> ProposalPlan {
    let t = &spec.theme;
    let [s1, s2] = t.scenes;
    let surplus = if spec.breakdown_sums {
        0
    } else {
        spec.total * 100 / 10
    };
    let amounts = split(spec.total, &[60, 40], surplus);
    ProposalPlan {
        basis: text(format!("{}{}产业有一定基础。", spec.place, t.industry)),
        introduction: PlanIntroduction {
            goal: text(format!("建设{}行业产业大脑。", t.brain)),
            investment_summary: text(format!("总投资{}万元。", spec.total)),
            model: None,
            builder: text(format!("{builder}。")),
        },
        funding: PlanFunding {
            total: wan(spec.total),
            breakdown: vec![
                FundingItem {
                    item: text("软件开发及系统集成"),
                    amount: hundredths(amounts.first().copied().unwrap_or(0)),
                    note: None,
                },
                FundingItem {
                    item: text("硬件及运营"),
                    amount: hundredths(amounts.get(1).copied().unwrap_or(0)),
                    note: None,
                },
            ],
            sources: vec![FundingSource {
                source: text("建设单位自筹"),
                amount: wan(spec.total),
            }],
        },
        content: PlanContent {
            summary: text(format!("建设数据平台和{}等应用。", s1.0)),
            tasks: vec![PlanTask {
                name: text("平台建设"),
                description: text(s1.1),
            }],
        },
        scenarios: vec![
            PlanScenario {
                name: text(s1.0),
                description: text(format!("{}。", s1.0)),
                kpis: vec![kpi(&s1, false)],
            },
            PlanScenario {
                name: text(s2.0),
                description: None,
                kpis: vec![kpi(&s2, false)],
            },
        ],
        technology: PlanTechnology {
            architecture: text("云平台架构。"),
            key_technologies: text(format!("{}。", t.tech)),
            innovations: None,
        },
        operation: PlanOperation {
            operator: text(format!("由{builder}运营。")),
            model: text("市场化运营。"),
            self_funding: None,
        },
        benefits: PlanBenefits {
            economic: text("带动产业增效。"),
            social: None,
            sme_cost_reduction: text("降低中小企业成本。"),
        },
        schedule: PlanSchedule {
            start: date(spec, 0),
            milestones: vec![],
            end: end_date(spec),
        },
    }
}

/// A first sketch: a line of basis and goal, perhaps a total, nothing else.
fn sketch_plan(spec: &Spec) -> ProposalPlan {
    let t = &spec.theme;
    ProposalPlan {
        basis: text(format!("{}{}产业正在发展。", spec.place, t.industry)),
        introduction: PlanIntroduction {
            goal: text(format!("谋划建设{}行业产业大脑。", t.brain)),
            ..PlanIntroduction::default()
        },
        funding: PlanFunding {
            total: (spec.total > 0).then(|| wan(spec.total)).flatten(),
            ..PlanFunding::default()
        },
        schedule: PlanSchedule {
            start: date(spec, 0),
            ..PlanSchedule::default()
        },
        ..ProposalPlan::default()
    }
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use super::*;
    use crate::domain::completeness::{completeness, CompletenessParams};
    use crate::domain::industry_map;
    use crate::domain::layout::{layout, LayoutParams, Region};
    use crate::domain::proposal::{validate, ReferenceLookup};
    use crate::domain::representativeness::{
        representativeness, RepresentativenessInput, RepresentativenessParams, Tier,
    };
    use crate::domain::score::{hundredths_text, round_half_up};

    /// The districts reference (chongqing-districts.tsv, zones under our codes): code and region.
    const DISTRICTS: [(&str, Region); 41] = [
        ("500101", Region::Northeast),
        ("500102", Region::MainUrban),
        ("500103", Region::MainUrban),
        ("500104", Region::MainUrban),
        ("500105", Region::MainUrban),
        ("500106", Region::MainUrban),
        ("500107", Region::MainUrban),
        ("500108", Region::MainUrban),
        ("500109", Region::MainUrban),
        ("500110", Region::MainUrban),
        ("500111", Region::MainUrban),
        ("500112", Region::MainUrban),
        ("500113", Region::MainUrban),
        ("500114", Region::Southeast),
        ("500115", Region::MainUrban),
        ("500116", Region::MainUrban),
        ("500117", Region::MainUrban),
        ("500118", Region::MainUrban),
        ("500119", Region::MainUrban),
        ("500120", Region::MainUrban),
        ("500151", Region::MainUrban),
        ("500152", Region::MainUrban),
        ("500153", Region::MainUrban),
        ("500154", Region::Northeast),
        ("500155", Region::Northeast),
        ("500156", Region::Southeast),
        ("500229", Region::Northeast),
        ("500230", Region::Northeast),
        ("500231", Region::Northeast),
        ("500233", Region::Northeast),
        ("500235", Region::Northeast),
        ("500236", Region::Northeast),
        ("500237", Region::Northeast),
        ("500238", Region::Northeast),
        ("500240", Region::Southeast),
        ("500241", Region::Southeast),
        ("500242", Region::Southeast),
        ("500243", Region::Southeast),
        ("CQLJ", Region::MainUrban),
        ("CQGX", Region::MainUrban),
        ("CQWS", Region::MainUrban),
    ];

    /// industry-classes-gbt4754-2017.tsv: code and parent.
    const CLASSES: [(&str, &str); 49] = [
        ("13", ""),
        ("14", ""),
        ("15", ""),
        ("16", ""),
        ("17", ""),
        ("18", ""),
        ("19", ""),
        ("20", ""),
        ("21", ""),
        ("22", ""),
        ("23", ""),
        ("24", ""),
        ("25", ""),
        ("26", ""),
        ("27", ""),
        ("28", ""),
        ("29", ""),
        ("30", ""),
        ("31", ""),
        ("32", ""),
        ("33", ""),
        ("34", ""),
        ("35", ""),
        ("36", ""),
        ("37", ""),
        ("38", ""),
        ("39", ""),
        ("40", ""),
        ("41", ""),
        ("42", ""),
        ("43", ""),
        ("63", ""),
        ("64", ""),
        ("65", ""),
        ("268", "26"),
        ("2683", "268"),
        ("361", "36"),
        ("3612", "361"),
        ("375", "37"),
        ("3751", "375"),
        ("397", "39"),
        ("3973", "397"),
        ("3974", "397"),
        ("384", "38"),
        ("3841", "384"),
        ("276", "27"),
        ("2761", "276"),
        ("651", "65"),
        ("6513", "651"),
    ];

    /// The twelve shipped clusters of the "33618" system and their tiers.
    const CLUSTERS: [(&str, Tier); 12] = [
        ("icv_nev", Tier::Trillion),
        ("electronic_info", Tier::Trillion),
        ("advanced_materials", Tier::Trillion),
        ("intelligent_equipment", Tier::FiveHundredBillion),
        ("food_agri", Tier::FiveHundredBillion),
        ("software_info", Tier::FiveHundredBillion),
        ("new_display", Tier::HundredBillion),
        ("motorcycle", Tier::HundredBillion),
        ("light_alloy", Tier::HundredBillion),
        ("light_textile", Tier::HundredBillion),
        ("biomedicine", Tier::HundredBillion),
        ("new_energy_storage", Tier::HundredBillion),
    ];

    /// Selection weights of the demo round, in hundredths: completeness, representativeness, layout.
    const WEIGHTS: (i64, i64, i64) = (30, 35, 35);

    struct Refs;

    impl ReferenceLookup for Refs {
        fn district_exists(&self, code: &str) -> bool {
            region_of(code).is_some()
        }
        fn cluster_exists(&self, code: &str) -> bool {
            tier_of(code).is_some()
        }
        fn industry_class_parent(&self, code: &str) -> Option<Option<String>> {
            CLASSES
                .iter()
                .find(|(c, _)| *c == code)
                .map(|(_, parent)| code_opt(parent))
        }
    }

    fn code_opt(value: &str) -> Option<String> {
        (!value.is_empty()).then(|| value.to_owned())
    }

    fn region_of(code: &str) -> Option<Region> {
        DISTRICTS.iter().find(|(c, _)| *c == code).map(|(_, r)| *r)
    }

    fn tier_of(code: &str) -> Option<Tier> {
        CLUSTERS.iter().find(|(c, _)| *c == code).map(|(_, t)| *t)
    }

    /// What the loader does: the builder's id is its position among the organisations, from 1.
    fn with_builder_ids(set: &DemoSet) -> Vec<DemoProposal> {
        set.proposals
            .iter()
            .map(|p| {
                let mut p = p.clone();
                p.form.builder_organisation_id = p.builder_key.and_then(|key| {
                    set.organisations
                        .iter()
                        .position(|o| o.key == key)
                        .and_then(|i| i32::try_from(i + 1).ok())
                });
                p
            })
            .collect()
    }

    fn district(p: &DemoProposal) -> &str {
        p.form.district_code.as_deref().unwrap_or("")
    }

    fn cluster(p: &DemoProposal) -> &str {
        p.form.cluster_code.as_deref().unwrap_or("")
    }

    #[derive(Debug, Clone)]
    struct Scored {
        key: String,
        district: String,
        cluster: String,
        region: Region,
        completeness: i64,
        representativeness: i64,
        layout: i64,
        /// Σ weight × score: hundredths of a point × 100.
        total: i64,
    }

    /// Every eligible proposal's three scores and weighted total, best first (ties by key).
    fn scored(set: &DemoSet) -> Vec<Scored> {
        let eligible: Vec<DemoProposal> = with_builder_ids(set)
            .into_iter()
            .filter(|p| p.fate == DemoFate::Eligible)
            .collect();
        let input =
            |p: &DemoProposal| RepresentativenessInput::from_form(&p.form, tier_of(cluster(p)));
        let pool: Vec<RepresentativenessInput> = eligible.iter().map(input).collect();
        let maps: BTreeMap<&str, &IndustryMap> = set
            .industry_maps
            .iter()
            .map(|(d, m)| (d.as_str(), m))
            .collect();
        let mut all: Vec<Scored> = eligible
            .iter()
            .map(|p| {
                let c = completeness(&p.form, &p.plan, &CompletenessParams::default()).total;
                let r = representativeness(&input(p), &pool, &RepresentativenessParams::default())
                    .total;
                let empty = IndustryMap::default();
                let map = maps.get(district(p)).copied().unwrap_or(&empty);
                let l = layout(
                    p.form.cluster_code.as_deref(),
                    &p.form.industry_class,
                    map,
                    region_of(district(p)),
                    &LayoutParams::default(),
                )
                .total;
                Scored {
                    key: p.key.clone(),
                    district: district(p).to_owned(),
                    cluster: cluster(p).to_owned(),
                    region: region_of(district(p)).unwrap_or(Region::MainUrban),
                    completeness: c,
                    representativeness: r,
                    layout: l,
                    total: WEIGHTS.0 * c + WEIGHTS.1 * r + WEIGHTS.2 * l,
                }
            })
            .collect();
        all.sort_by(|a, b| b.total.cmp(&a.total).then_with(|| a.key.cmp(&b.key)));
        all
    }

    /// The best list of five under one-per-district, one-per-cluster and every region represented,
    /// by brute force (ties broken by the keys, in order).
    fn constrained_optimum(all: &[Scored]) -> Vec<String> {
        let regions: BTreeSet<String> = all.iter().map(|s| format!("{:?}", s.region)).collect();
        let n = all.len();
        let mut best: Option<(i64, Vec<usize>)> = None;
        let mut pick = [0_usize; 5];
        fn next(pick: &mut [usize; 5], n: usize) -> bool {
            for i in (0..5).rev() {
                if pick[i] < n - 5 + i {
                    pick[i] += 1;
                    for j in i + 1..5 {
                        pick[j] = pick[j - 1] + 1;
                    }
                    return true;
                }
            }
            false
        }
        for (i, slot) in pick.iter_mut().enumerate() {
            *slot = i;
        }
        loop {
            let chosen: Vec<&Scored> = pick.iter().map(|&i| &all[i]).collect();
            let districts: BTreeSet<&str> = chosen.iter().map(|s| s.district.as_str()).collect();
            let clusters: BTreeSet<&str> = chosen.iter().map(|s| s.cluster.as_str()).collect();
            let covered: BTreeSet<String> =
                chosen.iter().map(|s| format!("{:?}", s.region)).collect();
            if districts.len() == 5 && clusters.len() == 5 && covered == regions {
                let sum: i64 = chosen.iter().map(|s| s.total).sum();
                if best.as_ref().is_none_or(|(b, _)| sum > *b) {
                    best = Some((sum, pick.to_vec()));
                }
            }
            if !next(&mut pick, n) {
                break;
            }
        }
        best.map(|(_, picks)| picks.iter().map(|&i| all[i].key.clone()).collect())
            .unwrap_or_default()
    }

    fn points(total: i64) -> String {
        hundredths_text(round_half_up(i128::from(total), 100))
    }

    #[test]
    fn the_set_is_deterministic() {
        assert_eq!(demo_set(), demo_set());
    }

    #[test]
    fn sizes_and_fates() {
        let set = demo_set();
        assert!((38..=42).contains(&set.proposals.len()));
        let mut fates: BTreeMap<&str, usize> = BTreeMap::new();
        for p in &set.proposals {
            let name = match p.fate {
                DemoFate::Draft => "draft",
                DemoFate::Submitted => "submitted",
                DemoFate::Returned { .. } => "returned",
                DemoFate::Sealed => "sealed",
                DemoFate::Eligible => "eligible",
                DemoFate::Ineligible { .. } => "ineligible",
            };
            *fates.entry(name).or_default() += 1;
        }
        let want: BTreeMap<&str, usize> = [
            ("draft", 2),
            ("submitted", 2),
            ("returned", 1),
            ("sealed", 2),
            ("eligible", 30),
            ("ineligible", 3),
        ]
        .into_iter()
        .collect();
        assert_eq!(fates, want);
        for p in &set.proposals {
            if let DemoFate::Returned { reasons } | DemoFate::Ineligible { reasons } = &p.fate {
                assert!(!reasons.is_empty(), "{}", p.key);
            }
        }
        let keys: BTreeSet<&str> = set.proposals.iter().map(|p| p.key.as_str()).collect();
        assert_eq!(keys.len(), set.proposals.len(), "keys are distinct");
    }

    #[test]
    fn sealing_times_are_distinct_for_sealed_proposals_only() {
        let set = demo_set();
        let mut seen = BTreeSet::new();
        for p in &set.proposals {
            if p.fate.is_sealed_or_later() {
                // Within the intake window: after the notice of 2024-01-29, before 2024-02-29.
                assert!(
                    (1..31 * 24 * 60).contains(&p.sealed_minutes_before_deadline),
                    "{}",
                    p.key
                );
                assert!(seen.insert(p.sealed_minutes_before_deadline), "{}", p.key);
            } else {
                assert_eq!(p.sealed_minutes_before_deadline, 0, "{}", p.key);
            }
        }
    }

    #[test]
    fn every_proposal_validates_against_the_reference_data() {
        let set = demo_set();
        for p in with_builder_ids(&set) {
            assert_eq!(validate(&p.form, &p.plan, &Refs), vec![], "{}", p.key);
        }
        for p in &set.proposals {
            assert_eq!(p.form.builder_organisation_id, None, "{}", p.key);
        }
    }

    #[test]
    fn spread_over_regions_districts_clusters_and_models() {
        let set = demo_set();
        let regions: BTreeSet<String> = set
            .proposals
            .iter()
            .filter_map(|p| region_of(district(p)))
            .map(|r| format!("{r:?}"))
            .collect();
        assert_eq!(regions.len(), 3);
        let districts: BTreeSet<&str> = set.proposals.iter().map(district).collect();
        assert!(districts.len() >= 30, "{}", districts.len());
        for zone in ["CQLJ", "CQGX", "CQWS"] {
            assert!(districts.contains(zone), "{zone}");
        }
        let clusters: BTreeSet<&str> = set.proposals.iter().map(cluster).collect();
        assert_eq!(clusters.len(), 12);
        let models: BTreeSet<String> = set
            .proposals
            .iter()
            .filter_map(|p| p.form.construction_model)
            .map(|m| format!("{m:?}"))
            .collect();
        assert_eq!(models.len(), 3);
    }

    #[test]
    fn figures_are_plausible() {
        let set = demo_set();
        for p in &set.proposals {
            let f = &p.form;
            let wan = |m: Option<Money>| m.map(|m| m.hundredths() / 100);
            if let Some(total) = wan(p.plan.funding.total) {
                assert!((500..=5000).contains(&total), "{}", p.key);
            }
            if let Some(scale) = wan(f.cluster_stats.scale) {
                assert!((100_000..=50_000_000).contains(&scale), "{}", p.key);
            }
            if let Some(scale) = wan(f.chain_leader.scale) {
                assert!((10_000..=5_000_000).contains(&scale), "{}", p.key);
            }
            if let Some(n) = f.chain_leader.in_city_suppliers {
                assert!((20..=800).contains(&n), "{}", p.key);
            }
            if let Some(n) = f.cluster_stats.enterprise_count {
                assert!((30..=2000).contains(&n), "{}", p.key);
            }
            if let Some(year) = f.cluster_stats.data_year {
                assert_eq!(year, 2022, "{}", p.key);
            }
            let s = &p.plan.schedule;
            let dates = s
                .start
                .iter()
                .chain(s.end.iter())
                .chain(s.milestones.iter().filter_map(|m| m.due.as_ref()));
            for d in dates {
                assert!(
                    (2024..=2026).contains(&chrono::Datelike::year(d)),
                    "{}",
                    p.key
                );
            }
        }
    }

    /// An organisation name mentioned in text ("…有限公司", "…集团") must be an invented one.
    fn named_firms_are_invented(text: &str) -> bool {
        let boundaries = |c: char| "，。、；：（）“”《》 ".contains(c);
        ["有限公司", "集团"].iter().all(|suffix| {
            text.match_indices(suffix).all(|(at, _)| {
                let segment = text[..at].rsplit(boundaries).next().unwrap_or("");
                segment.contains("示例")
            })
        })
    }

    #[test]
    fn every_name_is_invented() {
        let set = demo_set();
        let organisation_names: BTreeSet<&str> =
            set.organisations.iter().map(|o| o.name.as_str()).collect();
        assert_eq!(organisation_names.len(), set.organisations.len());
        for o in &set.organisations {
            assert!(o.name.starts_with("示例"), "{}", o.name);
        }
        for p in &set.proposals {
            let f = &p.form;
            if let Some(name) = &f.chain_leader.name {
                assert!(name.starts_with("示例"), "{}: {name}", p.key);
            }
            let contact = f.contact.name.as_deref().unwrap_or("");
            assert!(contact.starts_with("示例联系人"), "{}", p.key);
            if let Some(phone) = &f.contact.phone {
                assert!(phone.starts_with("023-6000-"), "{}", p.key);
            }
            let json = serde_json::to_string(&(f, &p.plan)).unwrap_or_default();
            assert!(named_firms_are_invented(&json), "{}", p.key);
            if f.construction_model == Some(ConstructionModel::ChainLeaderLed) {
                let builder = set
                    .organisations
                    .iter()
                    .find(|o| Some(o.key) == p.builder_key);
                assert_eq!(
                    builder.map(|o| o.name.as_str()),
                    f.chain_leader.name.as_deref(),
                    "{}: a chain-leader-led brain is built by its chain leader",
                    p.key
                );
            }
        }
        assert!(!named_firms_are_invented("由重庆某某有限公司牵头"));
        assert!(named_firms_are_invented("由示例某某有限公司牵头"));
    }

    #[test]
    fn credit_codes_are_valid_and_distinct() {
        let set = demo_set();
        let mut seen = BTreeSet::new();
        for o in &set.organisations {
            assert!(Uscc::parse(&o.uscc).is_ok(), "{}: {}", o.key, o.uscc);
            let district6 = if o.district_code.starts_with("CQ") {
                "500000"
            } else {
                o.district_code.as_str()
            };
            assert!(o.uscc.starts_with(&format!("91{district6}MA")), "{}", o.key);
            assert!(region_of(&o.district_code).is_some(), "{}", o.key);
            assert!(seen.insert(o.uscc.clone()), "{}", o.key);
        }
        let keys: BTreeSet<&str> = set.organisations.iter().map(|o| o.key).collect();
        assert_eq!(keys.len(), set.organisations.len());
        for p in &set.proposals {
            if let Some(key) = p.builder_key {
                assert!(keys.contains(key), "{}", p.key);
            }
            if let DemoOwner::Applicant { organisation_key } = p.owner {
                assert!(keys.contains(organisation_key), "{}", p.key);
            }
        }
    }

    #[test]
    fn industry_maps_cover_every_district_within_limits() {
        let set = demo_set();
        let exists = |e: &IndustryMapEntry| match e.kind {
            MapEntryKind::Cluster => tier_of(&e.code).is_some(),
            MapEntryKind::IndustryClass => Refs.industry_class_parent(&e.code).is_some(),
        };
        let mut mapped = BTreeSet::new();
        for (district, map) in &set.industry_maps {
            assert!(region_of(district).is_some(), "{district}");
            assert_eq!(
                industry_map::validate(district, map, exists),
                vec![],
                "{district}"
            );
            assert!(mapped.insert(district.as_str()), "{district} mapped twice");
        }
        let used: BTreeSet<&str> = set.proposals.iter().map(district).collect();
        assert_eq!(
            mapped, used,
            "a map for every district used, and only those"
        );
    }

    #[test]
    fn completeness_varies_and_some_breakdowns_do_not_sum() {
        let set = demo_set();
        let proposals = with_builder_ids(&set);
        let params = CompletenessParams::default();
        let scores: Vec<(String, i64, bool)> = proposals
            .iter()
            .map(|p| {
                let s = completeness(&p.form, &p.plan, &params);
                let breakdown_sums = s
                    .parts
                    .iter()
                    .find(|part| part.key == "funding_breakdown")
                    .is_some_and(|part| part.points == part.max);
                (p.key.clone(), s.total, breakdown_sums)
            })
            .collect();
        let full = scores.iter().filter(|s| s.1 == 10_000).count();
        let thin = scores.iter().filter(|s| s.1 < 7_000).count();
        assert!(full >= 8, "{full} full plans");
        assert!(thin >= 8, "{thin} thin plans");
        let mismatched: Vec<&str> = scores
            .iter()
            .filter(|s| !s.2 && s.1 > 3_000)
            .map(|s| s.0.as_str())
            .collect();
        assert_eq!(mismatched, ["P13", "P28", "P38"]);
    }

    #[test]
    fn the_selection_is_interesting() {
        let set = demo_set();
        let all = scored(&set);
        println!("key  district cluster                C       R       L       weighted");
        for s in &all {
            println!(
                "{}  {:<8} {:<22} {:>6}  {:>6}  {:>6}  {:>7}",
                s.key,
                s.district,
                s.cluster,
                hundredths_text(s.completeness),
                hundredths_text(s.representativeness),
                hundredths_text(s.layout),
                points(s.total)
            );
        }
        assert_eq!(all.len(), 30);
        // The two best are in the same district, so the top five break one-per-district.
        assert_eq!(all[0].district, all[1].district, "{:?}", &all[..2]);
        let top5: BTreeSet<&str> = all[..5].iter().map(|s| s.district.as_str()).collect();
        assert!(top5.len() < 5);
        // Strong proposals compete for a cluster.
        let top6_clusters: BTreeSet<&str> = all[..6].iter().map(|s| s.cluster.as_str()).collect();
        assert!(
            top6_clusters.len() < 6,
            "two of the top six share a cluster"
        );
        // Each region has an eligible proposal.
        let regions: BTreeSet<String> = all.iter().map(|s| format!("{:?}", s.region)).collect();
        assert_eq!(regions.len(), 3);
        // Layout: leading, characteristic and no match all occur.
        for want in [10_000, 7_000, 1_000] {
            assert!(all.iter().any(|s| s.layout == want), "layout {want}");
        }
        // The constrained optimum differs from the top five.
        let optimum = constrained_optimum(&all);
        let naive: Vec<String> = all[..5].iter().map(|s| s.key.clone()).collect();
        println!("top five by weighted total: {naive:?}");
        println!("constrained optimum:        {optimum:?}");
        assert_eq!(optimum.len(), 5);
        let optimum_set: BTreeSet<&String> = optimum.iter().collect();
        let naive_set: BTreeSet<&String> = naive.iter().collect();
        assert_ne!(optimum_set, naive_set);
    }
}
