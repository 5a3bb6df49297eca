# 简体中文消息目录。消息 id 与 en.ftl 相同，保持稳定。

## problem+json 标题（按问题类型）
problem-bad-request = 请求无法解析
problem-validation = 输入无效
problem-unprocessable = 无法按请求办理
problem-unauthorized = 需要身份认证
problem-forbidden = 无权操作
problem-not-found = 未找到
problem-method-not-allowed = 不支持该请求方法
problem-conflict = 状态冲突
problem-precondition-failed = 前置条件不成立
problem-precondition-required = 缺少前置条件
problem-payload-too-large = 请求内容过大
problem-unsupported-media-type = 不支持的内容类型
problem-not-acceptable = 无可接受的格式
problem-too-many-requests = 请求过于频繁
problem-unavailable = 服务暂不可用
problem-internal = 服务器内部错误
problem-validation-detail = 共 { $count } 个字段无效：{ $fields }


## 问题详情（problem+json 的 detail），按问题类型
problem-method-not-allowed-detail = 此资源只允许：{ $allow }
problem-internal-detail = 服务器未能处理此请求；已记录日志
conflict-unique-key = 已存在具有相同唯一键的对象
conflict-call-illegal-move = 榜单任务当前状态为“{ label-call-status }”，不能{ label-call-action }
conflict-project-illegal-move = 项目当前状态为“{ label-project-status }”，不能{ label-project-action }
conflict-proposal-illegal-move = 申报当前状态为“{ label-proposal-status }”，不能{ label-proposal-action }
conflict-plaque-illegal-move = 产业大脑牌匾当前状态为“{ label-plaque-status }”，不能{ label-plaque-action }
unauthorized-token-invalid = 令牌无效；请重新登录
unauthorized-token-expired = 令牌已过期；请重新登录
unauthorized-token-not-yet-valid = 令牌尚未生效
forbidden-evaluator-binding = 评估机构的绑定关系已不允许此操作：{ $why }
detail-body-valid-json = 请求体不是有效的 JSON：{ $inner }
media-type-send-body-application-json = 请以 application/json 发送请求体
too-large-body-must-at-most-bytes = 请求体不能超过 { $limit } 字节
detail-body-could-read = 无法读取请求体：{ $e }
detail-json-body-required = 需要 JSON 请求体
detail-query-parameter-valid = 查询参数 { $field } 无效：{ $msg }
detail-path-parameter-valid = 路径参数无效：{ $msg }
detail-query-parameter-valid-2 = 查询参数无效：{ $msg }
precondition-required-send-if-match-etag-you = 请在 If-Match 中发送您读取到的 ETag（当前为 { $current }），以免覆盖他人的修改
precondition-failed-object-changed-since-you-read = 对象在您读取后已被修改：If-Match 为 { $v }，但当前 ETag 为 { $current }；请重新读取后再修改
detail-body-could-read-back = 无法回读请求体：{ $e }
forbidden-action-needs-role-you = 此操作需要角色 { $names }；您的角色是 { $role }
unauthorized-authorization-header-valid-text = Authorization 请求头不是有效文本
unauthorized-authorization-header-must-bearer-token = Authorization 请求头须为 `Bearer <token>`
unauthorized-token-s-account-longer-exists = 令牌所属账号已不存在
unauthorized-token-was-issued-before-account = 令牌签发于账号修改密码之前；请重新登录
unauthorized-account-s-role-has-changed = 账号角色已变更；请重新获取令牌
unauthorized-bearer-token-was-sent = 未发送 Bearer 令牌
conflict-run-chose-which-longer-eligible = 该遴选运行选中的 { $missing } 已不再符合条件；请重新遴选
conflict-pool-changed = 申报池已变化
conflict-pool-changed-while-scored = 评分期间申报池发生了变化，请重新请求
conflict-another-version-was-published-at = 同一时刻已发布了另一个版本；请重新读取榜单
conflict-p-changed-during-publication-publish = P-{ $id } 在发布过程中发生变化；请重新发布
not-found-list-has-version = { $year } 年榜单没有第 { $n } 版
not-found-list-published-yet = { $year } 年榜单尚未发布
not-found-route-metrics = 没有 /metrics 路由
unauthorized-send-metrics-token-authorization-bearer = 请以 `Authorization: Bearer <token>` 发送指标令牌
not-found-call = 榜单任务 { $id }
not-found-list-item = 榜单条目
conflict-list-item-belongs-superseded-list = 该榜单条目属于已被取代的榜单版本；请使用当前榜单
conflict-call-changed-at-same-moment = 榜单任务在同一时刻被修改；请重新读取
conflict-bids-can-opened-only-after = 揭榜方案只能在揭榜截止（{ $closes_at }）后开启
conflict-appoint-expert-panel-first-post = 请先组建专家组（POST /calls/{ $id }/panel）
forbidden-call-s-history-commission-s = 榜单任务的历史记录仅供市经济信息委查阅
not-found-organisation = 单位 { $organisation_id }
conflict-bids-accepted-from-now = 揭榜方案受理时间为 { $opens_at } 至 { $closes_at }；现在是 { $now }
conflict-call = 榜单任务状态为“{ label-call-status }”
forbidden-account-has-organisation = 该账号未关联单位
not-found-call-2 = 榜单任务 { $call_id }
not-found-bid = 揭榜方案 { $bid_id }
conflict-bid-was-withdrawn-at-submit = 该揭榜方案已于 { $withdrawn_at } 撤回；重新提交即可恢复
not-found-bid-2 = 揭榜方案 { $id }
forbidden-you-call-s-panel = 您不在该榜单任务的专家组中
forbidden-you-recused-from-bid = 您已回避该揭榜方案：{ $reasons }
conflict-bid-was-withdrawn-before-close = 该揭榜方案在截止前已撤回，不予评分
conflict-score-sheet-changed-at-same = 评分表在同一时刻被修改；请重新提交
not-found-acceptance = 验收 { $id }
not-found-project = 项目 { $id }
conflict-acceptance-starts-once-builder-requested = { $e }：验收须在建设主体申请后开始，或在整改后复验时开始
conflict-re-review-was-due-rectification = 复验应在整改期限 { $until } 前完成，已逾期 { $days } 天；市经济信息委可登记例外（POST /projects/{ $id }/acceptance-exception）
precondition-failed-acceptance-changed-at-same-moment = 验收 { $id } 在同一时刻被修改；请重新读取
conflict-acceptance-concluded = 该验收已结束
conflict-acceptance-under-way = 该验收未在进行中
forbidden-you-recused-from-acceptance = 您已回避该验收：{ $mine }
conflict-report-filed-already = 报告已提交
conflict-third-party-evaluator-has-filed = 第三方评估机构尚未提交报告
conflict-every-panel-expert-who-recused = 所有未回避的专家须在结论前完成评分
conflict-was-changed-someone-else-at = { $what } 在同一时刻被他人修改；请重新读取
detail-unknown-region = 未知区域“{ $r }”
not-found-district = 区县 { $code }
conflict-cluster-exists = 产业集群“{ $code }”已存在
not-found-cluster = 产业集群 { $code }
conflict-round-exists-change-patch = { $year } 年度已存在；请用 PATCH 修改
not-found-round = 没有 { $year } 年度
precondition-failed-someone-else-changed-round-at = { $year } 年度在同一时刻被他人修改；请重新读取后再修改
detail-limit-1 = limit 须为 1–{ $MAX_PAGE }
not-found-brain-plaque = 没有牌号为 { $number } 的产业大脑
precondition-failed-changed-at-same-moment-read = { $what } { $id } 在同一时刻被修改；请重新读取
conflict-plaque-revoked = 该牌匾已撤销
not-found-evaluation = 评价 { $id }
conflict-evaluation-confirmed-already = 该评价已确认
conflict-plan-answers-confirmed-evaluation-put = 整改方案针对的是使产业大脑进入整改的已确认不合格评价
conflict-plan-filed-already = 整改方案已提交
not-found-contracting-process = 采购过程 { $ocid }
not-found-extension-file = 扩展文件 { $name }
not-found-webhook = Webhook { $id }
conflict-webhook-changed-at-same-moment = Webhook { $id } 在同一时刻被修改；请重新读取
conflict-webhook-disabled = Webhook { $id } 的状态为 { $status }，并非已停用
not-found-account = 账号
conflict-username-taken = 用户名“{ $username }”已被占用
detail-password-checking-saturated-try-again = 密码校验繁忙；请稍后再试
detail-too-many-failed-logins-account = 该账号或该地址登录失败次数过多；请稍后再试
unauthorized-wrong-username-password = 用户名或密码错误
conflict-password-was-changed-someone-else = 密码已被他人修改；请重试
not-found-account-2 = 账号 { $id }
conflict-enquiries-taken-while-call-open = 仅在揭榜期间受理咨询；当前状态为“{ label-call-status }”
not-found-enquiry = 咨询 { $id }
conflict-enquiry-was-answered-at = 该咨询已于 { $at } 答复
conflict-enquiry-was-answered-meanwhile = 该咨询已在此期间被答复
conflict-call-changed-meanwhile-answer-again = 榜单任务在此期间已变化；请重新答复
not-found-msg = { $subject } { $id }
conflict-bid-s-call-opened-yet = 该揭榜方案所属榜单任务尚未开启：开启前方案保持密封
not-found-finding = 认定 { $id }
conflict-finding-already-final = 该认定已为最终结论
precondition-failed-finding-changed-meanwhile-read-again = 该认定在此期间已被修改；请重新读取
conflict-bids-still-sealed = 揭榜方案仍处于密封状态
unauthorized-ranking-public-from-notice = 排名自公示起公开
forbidden-ranking-commission-s-until-notice = 公示前排名仅供市经济信息委查阅
conflict-objections-taken-only-during-notice = 仅在公示期内受理异议
forbidden-only-bidder-call-may-object = 只有该榜单任务的揭榜方（未中选者）可以对结果提出异议
forbidden-your-bid-proposed-award-objections = 您的方案已被拟定为揭榜单位；异议由未中选的揭榜方提出
not-found-objection = 异议 { $objection_id }
conflict-objection-has-been-answered = 该异议已答复
not-found-selection = 遴选运行 { $id }
precondition-failed-project-changed-at-same-moment = 项目 { $id } 在同一时刻被修改；请重新读取
not-found-round-2 = 没有 { $y } 年度
not-found-agreement = 任务书 { $id }
conflict-signed-agreement-changes-only-amendment = 已签订的任务书只能通过变更修改（POST /projects/{ $id }/amendments）
precondition-failed-agreement-changed-at-same-moment = 任务书 { $id } 在同一时刻被修改；请重新读取
conflict-only-draft-confirmed = 只有草稿可以确认
conflict-has-confirmed-text-already = { $party } 已确认此文本
conflict-draft-complete-enough-confirm-commission = 草稿尚不完整，无法确认；请市经济信息委先补全
conflict-draft-open-confirm-edit-before = 已有未完成的草稿；请先确认或编辑后再变更
conflict-nothing-signed-yet-edit-draft = 尚未签订任何文本：请直接编辑草稿
conflict-task-agreement-signed-yet = 任务书尚未签订
conflict-progress-reported-while-project-construction = 仅在项目建设期间报送进度；当前状态为“{ label-project-status }”
conflict-reports-cover-quarters-from-agreement = 报告涵盖自 { $signed_q }（任务书签订）至 { $today }（当前）的各季度
conflict-report-has-been-filed = { $period } 的报告已提交
conflict-supervision-runs-from-agreement-s = 监督自任务书签订起至验收止；项目当前状态为“{ label-project-status }”
not-found-follow-up = 跟进事项 { $id }
conflict-follow-up-closed = 该跟进事项已关闭
conflict-exception-recorded-already = 例外已登记
conflict-exception-rectification-recorded-already = 此次整改的例外已登记
conflict-exception-completed-project-whose-request = 例外仅适用于验收申请逾期的已完工项目，或复验逾期的整改中项目
conflict-acceptance-requested-once-brain-declared = 产业大脑宣告建成后方可申请验收；项目当前状态为“{ label-project-status }”
conflict-acceptance-must-requested-within-one = 验收须在完工（{ $done }）后一个月内申请：期限 { $to_string } 已逾期 { $days } 天；市经济信息委可登记例外
not-found-public-event = 公开事件 { $seq }
not-found-event = 事件 { $seq }
detail-limit-must-1 = limit 须为 1 至 { $MAX_SCORE_PAGE }
detail-left-out-limit = left_out_limit 须为 1 至 { $max }
detail-no-list-no-relaxation = 没有满足这些约束的榜单：{ $conflicts }；单独放宽任何一项约束都无济于事
detail-no-list-relaxations = 没有满足这些约束的榜单：{ $conflicts }；以下任意一项即可得到榜单：{ $relaxations }
not-found-proposal = 申报 { $id }
forbidden-district-officer-files-proposals-own = 区县经办人只能为本区县申报
detail-page-1-per-page-1 = page 须为 1–{ $MAX_PAGE }，per_page 须为 1–100
forbidden-only-proposal-s-owner-edits = 只有申报的所有者可以编辑
precondition-failed-someone-else-changed-proposal-at = 申报 { $id } 在同一时刻被他人修改；其 ETag 现为 { $into }；请重新读取后再修改
forbidden-only-may = 只有 { $whom } 可以 { $action }
conflict-panel-fixed-once-call = 榜单任务状态为“{ label-call-status }”后专家组不可更改
forbidden-panel-shown-commission-experts = 专家组仅向市经济信息委及其专家展示
conflict-who-bid-sealed-until-bids = 开启前不公开揭榜方
not-found-user = 用户 { $user_id }
forbidden-district-officer-registers-organisations-own = 区县经办人只能登记本区县的单位
conflict-organisation-unified-social-credit-code = 已存在具有该统一社会信用代码的单位
forbidden-organisations-visible-commission-districts-applicants = 单位信息仅对市经济信息委、区县和申报单位可见
not-found-organisation-2 = 单位 { $id }
not-acceptable-accept-header-allows-neither-nor = Accept 请求头既不接受 { $XLSX }，也不接受 text/csv
not-found-route = 没有 { $req } 路由
detail-after-must-cursor-previous-page = after 须为上一页给出的游标

## 字段校验消息
field-blank = 不能为空
field-at-least = 不能小于 { $min }
field-not-negative = 不能为负数
field-zero-or-more = 须为 0 或以上
field-out-of-range = 超出允许范围
field-limit-range = 须为 1 至 { $max }
field-after-cursor = 须为游标：已读到的最后一个编号（或序号），不小于 0
field-between = 须在 { $min } 至 { $max } 之间
field-chars = 须为 { $min }–{ $max } 个字符
field-at-most-chars = 最多 { $max } 个字符
field-in-future = 不能晚于当前时间
field-named-twice = 重复填写
field-missing = 缺少字段 `{ $name }`
field-unknown = 未知字段 `{ $name }`
field-invalid-type = 类型无效：收到 { $got }，应为 { $expected }
field-invalid-value = 取值无效：收到 { $got }，应为 { $expected }



field-import-too-many-rows = 每次请求最多 { $max } 行（本次 { $sent } 行）；请分批导入
field-tree-too-small = 事件 { $seq } 是第 { $idx } 个叶子：日志树须包含超过 { $idx } 个叶子

field-cap-at-least-one = 须不小于 1，或为 null（不设上限）
field-hundredths-range = 须为 { $min }–{ $max }（以百分之一分计）
field-unreadable = 无法读取
field-budget-total-too-large = 合计金额过大
field-first-version-corrects-nothing = 首个版本无可更正的内容
field-scored-twice = 重复评分
field-score-every-criterion = 须对评分细则的每一项打分
field-say-why-chars = 请说明理由（{ $min }–{ $max } 个字符）
field-say-why-at-least = 请说明理由，不少于 { $min } 个字符
field-requirements-blank = 请写明揭榜方须交付的成果
field-attachment-document-required = 必填：请先将文件上传至揭榜方案（POST /api/v1/bids/{ "{" }id{ "}" }/attachments），再在此填写文件编号
field-district-required = 必填：据此确定由哪个区县审核该申报
field-required-for-applicant = 申报单位账号必填
field-required-for-district-officer = 区县经办人账号必填
field-only-applicant-evaluator-organisation = 只有申报单位或评估机构账号可绑定单位
field-only-district-officer-district = 只有区县经办人账号可绑定区县
field-one-of = 须为以下之一：{ $values }
field-attachment-name-not-accepted = 不予接受：名称以已上传文件的名称为准
field-not-a-cursor = 不是本列表的游标（`<total>:<id>`）
field-name-experts-or-draw = 请指定专家或申请随机抽取
field-webhook-event-types-empty = 请至少填写一项："*"、聚合类型或 "<type>.<event kind>"
field-evidence-required = 请至少列出一份证明材料
field-rubric-empty = 请至少列出一项由专家评分的评分项
field-first-after-second = 不能大于 second
field-statement-name = 须写明作出声明的人（1 至 100 个字符）
field-password-unchanged = 须与当前密码不同
field-evidence-blank = 须说明或引用证明材料
field-closes-before-opens = 须晚于 opens_at，否则无法收到任何揭榜方案
field-whole-percentage = 须为 1 至 100 的整数百分比
field-hex-digits = 须为 { $count } 位十六进制数字
field-lower-hex-digits = 须为 { $count } 位小写十六进制数字
field-username = 须为 3–64 个字符：字母、数字、“.”、“_”或“-”
field-code-chars = 须为 2–40 个字符：a-z、0-9 和 _
field-chars-when-given = 如填写，须为 { $min }–{ $max } 个字符
field-seconds-between = 须为 { $min } 至 { $max } 秒
field-milestones-order = 里程碑须按日期先后排列
field-measured-twice = 重复填报
field-not-a-criterion = 不是本榜单任务评分细则中的评分项
field-body-empty = 为空
field-pinned-and-excluded = 既被指定入选又被排除
field-before-visit = 早于现场核查日期
field-targets-empty = 至少填写一项绩效指标
field-budget-empty = 至少填写一项资金来源
field-after-completion = 晚于建设完成日期
field-acceptance-max-points = 验收评分项满分为 100 分（10000 个百分之一分）
field-days-between = 须为 { $min }–{ $max } 天
field-unique-target-key = 须为 1–200 个字符，且在各绩效指标中唯一
field-unique-budget-source = 须为 1–200 个字符，且在各资金来源中唯一
field-unique-milestone-key = 须为 1–200 个字符，且在各里程碑中唯一
field-grade-thresholds = 须满足 0 ≤ 合格 ≤ 良好 ≤ 优秀 ≤ 10000（以百分之一分计）
field-evaluator-is-builder = 该评估机构隶属于建设主体；须由第三方评估
field-evaluator-unbound = 该评估账号未绑定单位；请先将其绑定到所属第三方机构
field-class-level = 须为 1（大类）、2（中类）或 3（小类）
field-rows-empty = 至少一行
field-password-wrong = 不是该账号的密码
field-merge-patch-object = 须为含 `form` 和/或 `plan` 的合并补丁（merge patch）对象
field-between-one-and-second = 须在 1 至 second 之间
field-applicant-own-organisation = 申报单位只能为本单位申报
field-applicant-builds-own = 申报单位的申报须由本单位建设
field-officer-own-district = 区县经办人录入的申报须属于本区县
field-say-why-ineligible = 请说明不符合条件的理由
field-file-empty = 文件为空
field-only-expert-profile = 只有专家账号有专家档案
field-invalid = 无效
field-proposal-document-kinds = 申报的文件只能是 intent_form（意向表）或 plan（建设方案）
field-decimal-u64 = 须为十进制无符号整数（u64）
field-unknown-district = 未知的区县代码“{ $code }”
field-unknown-cluster = 未知的产业集群代码“{ $code }”
field-positive-id = 须为正整数编号
field-phone = 须为 7 至 20 个字符，仅含数字、“+”和“-”
field-class-requires-level = 须先填写{ label-class-level }
field-class-not-under = “{ $code }”不属于{ label-class-level }“{ $parent }”
field-class-digits = 须为 { $digits } 位数字（{ label-class-level }）
field-unknown-class = 未知的国民经济行业分类代码“{ $code }”
field-class-not-level = “{ $code }”不是{ label-class-level }
field-finite-number = 须为有限数值
field-end-before-start = 不能早于开始日期（{ $start }）
field-due-before-start = 不能早于进度安排的开始日期（{ $start }）
field-due-after-end = 不能晚于进度安排的结束日期（{ $end }）
field-milestone-out-of-order = 里程碑须按日期先后排列：早于 milestones[{ $index }]（{ $before }）
field-media-type = 文件内容为 { $sniffed }；{ $kind } 须为以下类型之一：{ $allowed }
field-media-type-unknown = 无法识别文件内容的类型；{ $kind } 须为以下类型之一：{ $allowed }
field-file-name-path = 须为不含路径的文件名
field-control-characters = 不能包含控制字符
field-reason-too-short = 申报受理开始后修改截止时间或权重，须说明理由，不少于 { $min } 个字符
field-reason-required = 必填：申报受理开始后修改了截止时间或权重，请说明理由（不少于 { $min } 个字符）
field-agreement-no-indicator = 任务书中没有绩效指标 { $key }
field-agreement-no-milestone = 任务书中没有里程碑 { $key }
field-agreement-no-source = 任务书中没有资金来源 { $source }
field-measure-every-indicator = 须填报每项绩效指标；缺少：{ $missing }
field-justification-short = 请说明理由，不少于 { $min } 个字符
field-not-in-pool = P-{ $id } 不在本年度的合格申报池中
field-statement-required = 须作出真实性承诺：{ "{" }"statement": "{ $statement }", "name": …{ "}" }
field-statement-exact = 须与承诺原文“{ $statement }”完全一致
field-criterion-duplicate = { $name } 已是 rubric[{ $index }]；评分项名称不得重复
field-criterion-max-points = 须为 1 至 { $max }（以百分之一分计，即 0.01 至 { $points } 分）
field-rubric-weights-sum = 各评分项权重合计须为 100，现为 { $total }
field-notice-days = 公示期须为 { $min }（《招标投标法实施条例》第五十四条）至 { $max } 个自然日
field-amendment-hours = 修改公告须将揭榜期延长至少 { $min } 小时
field-criterion-not-scored = { $criterion }：须对评分细则的每一项打分
field-criterion-unknown = { $criterion } 不是本榜单任务评分细则中的评分项
field-criterion-points-range = { $criterion } 须为 0–{ $max }（以百分之一分计）
field-points-up-to = 须在 0 至 { $name }（{ $max }）之间，以百分之一分计
field-maxima-sum = 各部分满分之和须为 { $full }（100 分，以百分之一分计），现为 { $sum }
field-too-many-leading = { $district } 最多 { $max } 个主导产业，现为 { $count } 个
field-too-many-characteristic = 最多 { $max } 个特色产业，现为 { $count } 个
field-no-such-code = 没有代码为 { $code } 的{ label-map-entry-kind }
field-code-named-twice = { $code } 重复填写
field-not-an-expert = 用户 { $id } 不是专家
field-already-on-panel = 专家 { $id } 已在专家组中
field-draw-size = 须在 1 至可抽取的 { $available } 名专家之间
field-email = 须为电子邮箱地址，如 name@example.com
field-class-code = { $code } 不是国民经济行业分类代码（2、3 或 4 位数字）
field-uscc-length = 须为 18 个字符，现为 { $count } 个
field-uscc-character = 第 { $position } 个字符（{ $character }）不允许使用
field-uscc-division = 第 3–8 位须为行政区划代码数字
field-uscc-check = 校验码应为 { $expected }，现为 { $got }
field-quarter = { $text } 不是季度（格式如 2024Q3）
field-secret-prefix = 须以 { $prefix } 开头
field-secret-base64 = 须为 { $prefix } 后接 base64 编码
field-secret-length = 须为 24 至 64 字节；现为 { $count } 字节
field-event-type = { $kind } 不是事件类型；请使用 "*"、以下之一：{ $known }，或 "<type>.<event kind>"
field-event-kind = { $kind } 不是事件种类（小写字母和 `_`）
field-url-absolute = 不是绝对 URL（{ $error }）
field-url-scheme = 须为 http 或 https，不能是 { $scheme }
field-url-host = 须包含主机名
field-url-credentials = 不能包含用户名或密码（请改用密钥签名）
field-url-fragment = 不能包含片段（#）
field-password-short = 不能少于 { $min } 个字符
field-password-whitespace = 不能全为空白字符
field-password-username = 不能与用户名相同
field-password-repeated = 不能由同一字符重复组成
field-password-common = 属于常用密码，请另选
field-no-organisation = 没有编号为 { $id } 的单位
field-no-district = 没有区县 { $code }
field-no-bid-in-call = 该榜单任务中没有揭榜方案 { $id }
field-no-account = 没有账号 { $name }
field-after-intake-deadline = 晚于申报截止时间 { $deadline }
field-tree-size-at-most = 不能大于日志树的大小（{ $size }）
field-tree-size-between = 须在 1 至日志树的大小（{ $size }）之间
field-at-most-items = 最多 { $max } 项
field-no-attachment = 您在该榜单任务的揭榜方案中没有附件 { $id }：请先上传
field-no-document-version-sha = 文件 { $id } 没有此 SHA-256 的版本
field-expert-conflicted = 专家 { $id } 与建设主体存在利益冲突：{ $why }
field-code-also-in-row = { $code } 也出现在第 { $row } 行
field-major-has-no-parent = 大类没有上级，现为 { $got }
field-parent-must-be = 须为 { $want }
field-parent-prefix = 须为 { $want }（代码的前缀），现为 { $got }
field-parent-unknown = 上级 { $want } 既未存储，也不在前面的行中
field-not-an-evaluator = 用户 { $id } 不是评估机构账号
field-completed-on-range = 须在任务书签订日期（{ $signed_on }）至今天（{ $today }）之间
field-selection-other-round = 遴选运行 { $id } 属于 { $year } 年度
field-correction-reason-required = 第 { $version } 版已发布；新版本属于更正，须说明更正理由
field-not-district-officer-of = { $name } 不是 { $district } 的区县经办人
field-member-name = 成员名称{ $problem }
field-line-break-in-one-line = 包含控制字符 { $code }（此字段只能为一行）
field-control-character = 包含控制字符 { $code }
field-bidi-control = 包含双向文本控制字符 { $code }，会使文本显示与实际内容不符
field-only-invisible = 仅包含不可见字符
bad-request-path-parameter-int = 路径参数 { $name } 无效：{ $value } 不是整数（int32）
field-not-int32 = { $value } 不是整数（int32）
field-hundredths-number = { $value } 须为非负数，最多两位小数

## 状态与枚举
call-status-announced = 已发布
call-status-open = 揭榜中
call-status-closed = 已截止
call-status-opened = 已开标
call-status-under_review = 评审中
call-status-notice = 公示中
call-status-awarded = 已挂帅
call-status-unsuccessful = 流标
call-status-cancelled = 已取消
plaque-status-active = 有效
plaque-status-rectifying = 限期整改中
plaque-status-revoked = 已取消授牌
grade-excellent = 优秀
grade-good = 良好
grade-pass = 合格
grade-fail = 不合格
region-main_urban = 主城都市区
region-northeast = 渝东北三峡库区城镇群
region-southeast = 渝东南武陵山区城镇群
criterion-completeness = 方案完整性
criterion-representativeness = 行业代表性
criterion-layout = 区县产业布局

## 未入选原因
reason-excluded = 经评审组书面说明予以排除
reason-below_floor = 方案完整性 { $completeness } 分，低于最低要求 { $floor } 分
reason-same_district = 同一区县已有 { $as } 入选（总分 { $total }）
reason-same_cluster = 同一产业集群已有 { $as } 入选（总分 { $total }）
reason-outranked = 总分不及入选项中最低的 { $as }（{ $total } 分）
reason-displaced = 受约束条件影响未能入选：{ $constraint }
reason-tie_rule = 同分时按既定规则优先 { $as }
forcing-cost = 若强制入选，榜单总分将减少 { $cost } 分
forcing-impossible = 在现有约束下无法入选
weight-range = { $name }权重在 { $low }% 至 { $high }% 之间时榜单不变（当前 { $current }%）

## 页面
site-title = 行业产业大脑揭榜挂帅
site-subtitle = 重庆市经济和信息化委员会 · 公示公告
nav-home = 首页
nav-brains = 授牌名录
lang-switch = English
json-link = 本页数据（JSON）
ocds-link = 开放合同数据（OCDS）
print-hint = 本页可按 A4 打印张贴公示。
home-intro = 每年通过公开竞争遴选建设行业产业大脑：区县申报意向，市经济信息委按公布的三项标准确定榜单，建设主体密封揭榜，专家评审打分，结果公示接受异议后正式挂帅。
home-rounds = 年度批次
home-calls = 揭榜项目
round-line = { $year } 年：{ $title }；意向征集截止 { $deadline }；榜单 { $size } 项
round-list-link = { $year } 年榜单
no-list = 尚未发布
list-title = { $year } 年行业产业大脑建设榜单（第 { $version } 版）
list-published = 发布时间 { $at }。{ $note }
list-versions = 历次版本
list-correction = 更正说明：{ $reason }
list-current = 现行版本
col-rank = 序号
col-direction = 大脑名称
col-district = 区县
col-cluster = 产业集群
col-class = 行业分类
col-total = 加权总分
col-proposal = 申报编号
col-reason = 未入选原因
col-cost = 强制入选的代价
col-weight = 评价标准
col-range = 榜单不变的权重区间
col-status = 状态
col-bidder = 揭榜方
col-budget = 预算（万元）
col-expert = 专家
col-number = 牌号
col-builder = 建设主体
col-date = 日期
col-grade = 最近评价等级
col-window = 揭榜时间
col-bids = 揭榜数
weights-line = 权重：方案完整性 { $c }%，行业代表性 { $r }%，区县产业布局 { $l }%。
list-items = 揭榜项
list-chart = 入选项与未入选高分项的得分构成
list-left-out = 未入选的高分申报
list-weights = 权重稳定区间
list-targets = 成效目标
call-title = 揭榜项目 { $id }：{ $direction }
call-window = 揭榜时间 { $opens } 至 { $closes }
call-bids = 已收到揭榜 { $count } 份
call-sealed = 揭榜材料密封保存，开标前不公开揭榜方。
call-winners = 拟挂帅单位
call-ranking = 评审排名（专家匿名）
call-objections = 异议及答复
call-no-objections = 公示期内未收到异议。
call-objections-count = 共收到异议 { $total } 件，未答复 { $unanswered } 件
objection-upheld = 异议成立
objection-dismissed = 异议不成立
objection-grounds = 异议理由
objection-answer = 答复
call-award-note = 公示说明
call-requirements = 揭榜要求
chart-trimmed = 去掉的最高分/最低分
chart-kept = 计入
brains-title = 行业产业大脑授牌名录
brains-empty = 尚未授牌。
footer = 此件公开发布。时间均为北京时间。

## 表格导出
sheet-scores = 评分
sheet-parts = 评分构成
sheet-chosen = 入选
sheet-left-out = 未入选
sheet-weights = 权重区间
sheet-ranking = 排名
sheet-sheets = 评分表
col-district-code = 区县代码
col-cluster-code = 产业集群代码
col-region = 区域
col-margin = 裕度
col-message = 说明
col-current = 当前权重（%）
col-low = 下限（%）
col-high = 上限（%）
col-part = 评分项
col-points = 得分
col-max = 满分
col-criterion = 评审指标
col-weight-pct = 权重（%）
col-mean = 平均分
col-dropped-high = 去掉的最高分
col-dropped-low = 去掉的最低分
col-eligible = 资格
col-bid = 揭榜编号
col-run = 遴选运行
sheet-notices = 公示
sheet-winners = 揭榜单位
sheet-objections = 异议
col-call = 榜单任务编号
col-year = 年度
col-notice-start = 公示开始
col-notice-end = 公示截止
col-winners = 揭榜单位
col-objections = 异议数
col-unanswered = 未答复
col-overdue = 逾期答复
col-objection = 异议编号
col-submitted = 收到时间
col-due = 答复期限
col-outcome = 处理结果
col-answered = 答复时间
yes = 是
no = 否

## 遴选约束（说明中的代码）
constraint-pins = 评审组指定入选项须保留
constraint-each_region = “一区两群”每个区域至少一项
constraint-min_per_model = 各建设模式的最低数量
constraint-max_per_district = 每个区县至多一项
constraint-max_per_cluster = 每个产业集群至多一项
constraint-combination = 任何替换都无法同时满足全部约束

## 通知（GET /users/me/notifications 的事由代码）
notice-proposal-returned = 建设方案 { $proposal } 已退回修改：{ $reason }
notice-intake-deadline-soon = { $year } 年度申报将于 { $deadline } 截止，贵单位的建设方案尚未提交
notice-call-opened = 揭榜任务 { $call } 已开放揭榜，截止时间 { $closes_at }
notice-call-closing-soon = 揭榜任务 { $call } 将于 { $closes_at } 截止揭榜
notice-objection-to-answer = 揭榜任务 { $call } 的异议 { $objection } 待答复
notice-progress-report-due = 项目 { $project } 的 { $quarter } 季度进展报告应于 { $due } 前报送
notice-acceptance-request-overdue = 项目 { $project } 应于 { $due } 前申请验收，现已逾期

## 命令行演示输出（`jiebang demo --lang zh-CN`）
demo-loaded = 已将 { $count } 个示例申报载入 { $year } 年度（{ $organisations } 个单位，{ $accounts } 个账号，密码 { $password }）。
demo-list-title = { $year } 年行业大脑建设榜单，第 { $version } 版 — 来自遴选运行 #{ $run }
demo-solver = {"  "}求解器：{ $solver }（{ $version }）
demo-inputs = {"  "}输入 sha256：{ $hash }
demo-weights = {"  "}权重：方案完整性 { $c } / 行业代表性 { $r } / 区县产业布局 { $l }；目标值 { $objective } 分
demo-tie-rule = {"  "}同分规则：{ $rule }
demo-item = { $rank }. { $direction } — 区县 { $district }（{ $district_code }），产业集群 { $cluster }（{ $cluster_code }），总分 { $total }（方案完整性 { $completeness }，行业代表性 { $representativeness }，区县产业布局 { $layout }）
demo-left-out = 未入选（按得分从高到低）：
demo-left-out-line = {"  "}P-{ $id }（{ $total }）：{ $why }
demo-weight-ranges = 各项权重在榜单不变前可调整的范围：

## 文件与通知
not-found-owner = { $owner } { $id }
payload-too-large-document-kind = { $kind } 不得超过 { $limit } 字节（{ $setting }）
forbidden-only-owner-uploads = 只有该 { $owner } 的所有者可以上传其文件
not-found-document = 文件 { $id }
not-found-document-version = 文件 { $id } 第 { $version } 版
not-found-notification = 通知 { $id }
payload-too-large-document = 任何文件不得超过 { $limit } 字节（documents.max_bytes_*）
bad-request-body-unreadable = 无法读取请求体：{ $error }
bad-request-path-parameter = 路径参数 { $name } 无效：{ $reason }
bad-request-path-no-integer = 路径中没有整数参数

## 状态与操作名称（按代码；409 应答中使用，`current_state` 中仍为代码）
label-call-status = { $status ->
    [announced] 已发布
    [open] 揭榜中
    [closed] 已截止
    [opened] 已开标
    [under_review] 评审中
    [notice] 公示中
    [awarded] 已挂帅
    [unsuccessful] 流标
    [cancelled] 已取消
   *[other] { $status }
}
label-call-action = { $action ->
    [open_bids] 开启揭榜方案
    [start_review] 开始评审
    [award] 确定揭榜挂帅单位
    [uphold_objection] 认定异议成立
    [finalize] 确认评审结果
    [declare_unsuccessful] 宣布流标
    [cancel] 取消榜单任务
   *[other] { $action }
}
label-proposal-status = { $status ->
    [draft] 草稿
    [submitted] 已提交
    [returned] 已退回修改
    [sealed] 已审核盖章
    [eligible] 符合条件
    [ineligible] 不符合条件
    [listed] 已入榜
    [not_listed] 未入榜
   *[other] { $status }
}
label-proposal-action = { $action ->
    [edit] 修改
    [submit] 提交
    [return] 退回修改
    [seal] 审核盖章
    [mark_eligible] 认定符合条件
    [mark_ineligible] 认定不符合条件
    [list] 列入榜单
    [not_list] 不列入榜单
   *[other] { $action }
}
label-project-status = { $status ->
    [agreement] 待签订任务书
    [in_construction] 建设中
    [completed] 已完成建设
    [acceptance_requested] 已申请验收
    [under_acceptance] 验收中
    [rectifying] 整改中
    [accepted] 已通过验收
    [failed] 未通过验收
   *[other] { $status }
}
label-project-action = { $action ->
    [sign_agreement] 签订任务书
    [declare_completion] 申报建设完成
    [request_acceptance] 申请验收
    [start_acceptance] 开始验收
    [accept] 通过验收
    [rectify] 限期整改
    [fail] 判定验收不通过
   *[other] { $action }
}
label-plaque-status = { $status ->
    [active] 有效
    [rectifying] 限期整改中
    [revoked] 已取消授牌
   *[other] { $status }
}
label-class-level = { $level ->
    [major] 大类
    [middle] 中类
   *[other] 小类
}
label-map-entry-kind = { $kind ->
    [Cluster] 产业集群
    [IndustryClass] 国民经济行业门类
   *[other] { $kind }
}
label-grade = { $grade ->
    [excellent] 优秀
    [good] 良好
    [pass] 合格
    [fail] 不合格
   *[other] { $grade }
}
label-supervision-rating = { $rating ->
    [good] 良好
    [fair] 一般
    [poor] 较差
   *[other] { $rating }
}
label-plaque-action = { $action ->
    [rectify] 限期整改
    [restore] 恢复
    [revoke] 取消授牌
   *[other] { $action }
}

## 揭榜挂帅规则说明（`rule-…`）
rule-weights-sum = 各项权重须在 0 至 100 之间且合计为 100（现为：方案完整性 { $completeness } + 行业代表性 { $representativeness } + 区县产业布局 { $layout } = { $total }）
rule-eligibility-not-in-chongqing = 揭榜方未在重庆市区县（开发区）注册
rule-eligibility-capital-unknown = 注册资本未知；须不低于 { $required } 万元
rule-eligibility-capital-below = 注册资本 { $capital } 万元，低于要求的 { $required } 万元
rule-eligibility-earlier-award = 揭榜方在本年度已有中榜项目
rule-conflicts-closed-notice = 利益冲突须在拟定揭榜挂帅单位之前申报；该榜单任务正在公示：现在发现的利益冲突可作为提出异议的理由（POST /calls/{ "{" }id{ "}" }/objections），异议成立的，榜单任务退回评审
rule-conflicts-closed = 利益冲突须在拟定揭榜挂帅单位之前申报；该榜单任务当前状态为“{ label-call-status }”
rule-scoring-closed = 仅在评审期间受理评分；该榜单任务当前状态为“{ label-call-status }”
rule-award-count = 该榜单任务设 { $winners } 个揭榜挂帅单位；请指定同样数量的单位
rule-award-unranked = 仅有 { $ranked } 份揭榜方案完成排名；请先完成评分
rule-award-not-top = 须按评审排名确定揭榜挂帅单位：排名前 { $winners } 的是 { $top }
rule-notice-running = 公示期至 { $ends } 结束
rule-objections-unanswered = 异议 { $ids } 尚未答复
rule-acceptance-outcome = 按规则此处只能选择 { $allowed }：{ $rule }
rule-evaluation-awaits-confirmation = 有一项评价待市经济信息委确认
rule-evaluation-once-a-year = 该产业大脑 { $year } 年度已完成年度评价；每年一次
rule-evaluation-no-failed = 没有使该产业大脑进入整改的评价
rule-evaluation-plan-first = 建设主体须在复评前提交整改方案
rule-rectification-deadline-passed = 整改期限 { $until } 已过；由市经济信息委决定是否取消授牌
rule-evaluation-last-passed = 最近一次评价已合格
rule-revoke-not-rectifying = 只有限期整改中的产业大脑才能取消授牌；该产业大脑当前状态为“{ label-plaque-status }”
rule-rectification-running = 整改期至 { $until }；取消授牌须以复评不合格或整改期限届满为前提
rule-rectification-no-deadline = 未设定整改期限
rule-intake-closed = 申报截止时间 { $deadline } 已过
rule-eligibility-failed = { $rule }：{ $why }
unavailable-document-store-write = 文件存储未能接收该文件；未作任何记录，请重新发送
conflict-proposal-documents-status = 申报当前状态为“{ label-proposal-status }”；仅在草稿或退回修改状态下可添加文件
precondition-failed-document-version-race = 同一时刻已上传了另一个版本；请重新读取该文件
unavailable-document-store-read = 文件存储未响应；请重试

## 命令行演示：榜单发布之后的年度（`jiebang demo`）
demo-y-cast = { $y }-03-05  示例揭榜单位：{ $organisations } 家单位（均有申报账号）；专家 { $experts } 名；第三方评估机构 { $evaluator }（{ $body }）
demo-y-calls = { $y }-03-06  发布 { $count } 项榜单任务（揭榜），每个榜单条目一项：揭榜时间 { $y }-03-11 09:00 至 03-20 17:00，各设 1 个揭榜挂帅单位，公示期 7 天
demo-y-panel = { $y }-03-07  { $direction }：随机抽取 3 名评审专家（种子 { $seed }）：{ $names }
demo-y-sealed-bids = { $y }-03-12  密封提交的揭榜方案：
demo-y-sealed-bids-item = {"  "}{ $direction }：{ $count } 份（{ $winner }、{ $rival }）
demo-y-opened = { $y }-03-20  揭榜截止后开启揭榜方案：{ $verified } 份回执与密封内容核验一致；评审开始
demo-y-ranking = { $y }-03-25  { $direction }：评审排名 { $ranking } → 公示：拟由 { $winner } 挂帅（异议期 7 天）
demo-y-objection = { $y }-03-27  { $direction }：{ $rival } 提出异议；{ $y }-03-28 答复，异议不成立
demo-y-awards-final = { $y }-04-02  公示期满、异议均已答复：评审结果确定，创建 { $count } 个建设项目，各附任务书草稿
demo-y-agreement = { $y }-04-11  { $direction }：市经济信息委、{ $builder } 与区县 { $district }（{ $district_code }）签订任务书 — { $indicators }；预算 { $budget } 万元；{ $completion } 前建成
demo-y-in-construction = { $y }-04-11  { $count } 个项目进入建设期（由所在区县督导）
demo-y-progress = { $day }  { $count } 个建设主体报送 { $period } 建设进度（季度结束后 15 日内）
demo-y-supervision = { $y }-09-18  { $direction }：区县 { $district }（{ $district_code }）现场督导，评价为“{ label-supervision-rating }”
demo-y-supervision-warning = { $y }-09-18  { $direction }：区县 { $district }（{ $district_code }）现场督导，评价为“{ label-supervision-rating }”，向市经济信息委预警：{ $warning }
demo-y-follow-up = { $y }-10-08  { $direction }：整改事项“{ $action }”（期限 { $due }）经区县确认办结
demo-y-built = { $y }-12-28  全部 { $count } 个产业大脑宣告建成；须于 { $due } 前申请验收
demo-y-acceptance-requested = { $y }-01-08  全部 { $count } 个建设主体在一个月内书面申请验收
demo-y-acceptance-panel = { $y }-01-12  { $direction }：随机抽取验收专家组（种子 { $seed }，回避建设主体人员）：{ $names }；委托评估机构 { $evaluator }
demo-y-acceptance-scored = { $y }-01-16  验收专家组完成评分；评估机构逐项核验绩效指标完成情况，证明材料均附哈希值
demo-y-accepted = { $y }-01-20  { $direction }：验收通过（专家组评分 { $score }，约束性指标全部完成）→ 授牌 { $plaque }
demo-y-evaluator-engaged = { $y }-01-20  委托 { $evaluator } 对 { $count } 个产业大脑开展年度评价
demo-y-evaluations-filed = { $y }-02-10  提交 { $count } 份年度评价（运行情况、数据汇聚、服务企业、自我造血、指标完成）；由市经济信息委确认
demo-y-evaluation = { $y }-02-15  { $plaque } { $direction }：年度常态化评价 { $score } 分，{ label-grade }
demo-y-evaluation-rectify = { $y }-02-15  { $plaque } { $direction }：年度常态化评价 { $score } 分，{ label-grade } → 限期整改至 { $until }
demo-y-rectification-plan = { $y }-02-25  { $plaque }：{ $builder } 提交整改方案；须在整改期限内复评
demo-y-register = 行业产业大脑公开名录（GET /api/v1/brains，无需登录）：
demo-y-register-evaluation = { $year } 年第 { $attempt } 次 { $score } 分 { label-grade }
demo-y-register-no-evaluation = 暂无
demo-y-register-line = {"  "}{ $number }  { $brain } — { $builder }，区县 { $district }（{ $district_code }），{ $issued } 授牌；{ label-plaque-status }；评价：{ $evaluations }
demo-y-register-line-until = {"  "}{ $number }  { $brain } — { $builder }，区县 { $district }（{ $district_code }），{ $issued } 授牌；{ label-plaque-status }至 { $until }；评价：{ $evaluations }
selection-tie-rule = 榜单加权总分之和最大；总分之和相同的，优先选择包含最早盖章提交且可入选最优榜单的申报的榜单，其次比较次早的申报，依此类推（先比较 sealed_at，早者优先；再比较编号，小者优先）
rule-link-works-at = 在该单位任职
rule-link-worked-until = 曾在该单位任职至 { $until }（三年以内）
field-joint-builder-is-lead = 牵头建设单位不能同时作为联合建设单位
field-joint-builder-twice = 单位 { $id } 重复列出
# 区县清单（领军（链主）企业、专精特新企业、特色产业集群）及意向表与清单的比对。
field-inventory-chain-leader-only = 只有领军（链主）企业条目才填写市内供应商数量
field-no-inventory-entry = 清单中没有编号为 { $id } 的条目
not-found-inventory-entry = 清单条目 { $id }
forbidden-district-officer-inventory-own = 区县经办人只能填写本区县的清单
conflict-inventory-enterprise-listed = 该企业（统一社会信用代码）已在本区县的该类清单中
conflict-inventory-cluster-recorded = 本区县该年度已登记该产业集群
precondition-failed-inventory-changed-meanwhile = 该清单条目在此期间已被修改；请重新读取
inventory-figure-match = 与清单条目 { $entry } 的记录一致
inventory-figure-mismatch = 意向表填报 { $claimed }；清单条目 { $entry } 记录为 { $recorded }
inventory-figure-not-recorded = 清单条目 { $entry } 未记录可比对的数据
inventory-chain-leader-not-listed = 该链主企业不在区县 { $district } 的领军（链主）企业清单中
inventory-chain-leader-wrong-kind = 清单条目 { $entry } 是专精特新企业，不是链主企业
inventory-chain-leader-other-district = 清单条目 { $entry } 由区县 { $recorded } 登记，而非意向表所属区县 { $district }
inventory-cluster-not-listed = 区县 { $district } 未登记 { $cluster } 特色产业集群
inventory-supplier-not-listed = 清单中没有编号为 { $entry } 的条目
inventory-supplier-listed = { $name }（{ $kind }，区县 { $district }）
field-project-document-kinds = 项目文件类型只能是 task_agreement（任务书）、acceptance_evidence（验收材料）或 evaluation_report（评估报告）
forbidden-project-documents-parties = 项目文件仅限项目各方查阅：市经济信息委、项目所在区县和建设单位
