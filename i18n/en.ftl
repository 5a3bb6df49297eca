# English catalogue. Message ids are stable; zh-CN.ftl holds the same ids.

## problem+json titles, by problem type
problem-bad-request = Bad request
problem-validation = Invalid input
problem-unprocessable = Cannot be done as asked
problem-unauthorized = Authentication required
problem-forbidden = Forbidden
problem-not-found = Not found
problem-method-not-allowed = Method not allowed
problem-conflict = Conflict
problem-precondition-failed = Precondition failed
problem-precondition-required = Precondition required
problem-payload-too-large = Payload too large
problem-unsupported-media-type = Unsupported media type
problem-not-acceptable = Not acceptable
problem-too-many-requests = Too many requests
problem-unavailable = Service unavailable
problem-internal = Internal server error
problem-validation-detail = { $count } invalid field(s): { $fields }


## problem details (the `detail` of problem+json), by problem type
problem-method-not-allowed-detail = this resource allows only: { $allow }
problem-internal-detail = the server failed to handle this request; it has been logged
conflict-unique-key = an object with the same unique key already exists
conflict-call-illegal-move = cannot { label-call-action } a call that is { label-call-status }
conflict-project-illegal-move = a project that is { label-project-status } cannot { label-project-action }
conflict-proposal-illegal-move = cannot { label-proposal-action } a proposal that is { label-proposal-status }
conflict-plaque-illegal-move = a plaque that is { label-plaque-status } cannot { label-plaque-action }
unauthorized-token-invalid = the token is not valid; log in again
unauthorized-token-expired = the token has expired; log in again
unauthorized-token-not-yet-valid = the token is not valid yet
forbidden-evaluator-binding = the evaluator's binding no longer allows this: { $why }
detail-body-valid-json = the body is not valid JSON: { $inner }
media-type-send-body-application-json = send the body as application/json
too-large-body-must-at-most-bytes = the body must be at most { $limit } bytes
detail-body-could-read = the body could not be read: { $e }
detail-json-body-required = a JSON body is required
detail-query-parameter-valid = the query parameter { $field } is not valid: { $msg }
detail-path-parameter-valid = a path parameter is not valid: { $msg }
detail-query-parameter-valid-2 = a query parameter is not valid: { $msg }
precondition-required-send-if-match-etag-you = send If-Match with the ETag you read (current: { $current }) so that no one's change is lost
precondition-failed-object-changed-since-you-read = the object changed since you read it: If-Match { $v } but the current ETag is { $current }; read it again and redo your change
detail-body-could-read-back = the body could not be read back: { $e }
forbidden-action-needs-role-you = this action needs the role { $names }; you are { $role }
unauthorized-authorization-header-valid-text = the Authorization header is not valid text
unauthorized-authorization-header-must-bearer-token = the Authorization header must be `Bearer <token>`
unauthorized-token-s-account-longer-exists = the token's account no longer exists
unauthorized-token-was-issued-before-account = the token was issued before the account's password changed; log in again
unauthorized-account-s-role-has-changed = the account's role has changed; get a new token
unauthorized-bearer-token-was-sent = no bearer token was sent
conflict-run-chose-which-longer-eligible = the run chose { $missing } which are no longer eligible; run the selection again
conflict-pool-changed = pool changed
conflict-pool-changed-while-scored = the pool changed while it was being scored; ask again
conflict-another-version-was-published-at = another version was published at the same moment; read the list again
conflict-p-changed-during-publication-publish = P-{ $id } changed during publication; publish again
not-found-list-has-version = the { $year } list has no version { $n }
not-found-list-published-yet = the { $year } list is not published yet
not-found-route-metrics = no route for /metrics
unauthorized-send-metrics-token-authorization-bearer = send the metrics token as `Authorization: Bearer <token>`
not-found-call = call { $id }
not-found-list-item = list item
conflict-list-item-belongs-superseded-list = this list item belongs to a superseded list version; use the current list
conflict-call-changed-at-same-moment = the call changed at the same moment; read it again
conflict-bids-can-opened-only-after = bids can be opened only after the call closes at { $closes_at }
conflict-appoint-expert-panel-first-post = appoint the expert panel first (POST /calls/{ $id }/panel)
forbidden-call-s-history-commission-s = a call's history is the commission's record
not-found-organisation = organisation { $organisation_id }
conflict-bids-accepted-from-now = bids are accepted from { $opens_at } to { $closes_at }; it is now { $now }
conflict-call = the call is { $status }
forbidden-account-has-organisation = this account has no organisation
not-found-call-2 = call { $call_id }
not-found-bid = bid { $bid_id }
conflict-bid-was-withdrawn-at-submit = the bid was withdrawn at { $withdrawn_at }; submit it again to reinstate it
not-found-bid-2 = bid { $id }
forbidden-you-call-s-panel = you are not on this call's panel
forbidden-you-recused-from-bid = you are recused from this bid: { $reasons }
conflict-bid-was-withdrawn-before-close = the bid was withdrawn before the close; it is not scored
conflict-score-sheet-changed-at-same = the score sheet changed at the same moment; send it again
not-found-acceptance = acceptance { $id }
not-found-project = project { $id }
conflict-acceptance-starts-once-builder-requested = { $e }: an acceptance starts once the builder requested it, or for a re-review after rectification
conflict-re-review-was-due-rectification = the re-review was due by the rectification deadline { $until }, which passed { $days } day(s) ago; the commission may record an exception (POST /projects/{ $id }/acceptance-exception)
precondition-failed-acceptance-changed-at-same-moment = acceptance { $id } changed at the same moment; read it again
conflict-acceptance-concluded = this acceptance is concluded
conflict-acceptance-under-way = the acceptance is not under way
forbidden-you-recused-from-acceptance = you are recused from this acceptance: { $mine }
conflict-report-filed-already = the report is filed already
conflict-third-party-evaluator-has-filed = the third-party evaluator has not filed its report
conflict-every-panel-expert-who-recused = every panel expert who is not recused scores before the conclusion
conflict-was-changed-someone-else-at = { $what } was changed by someone else at the same moment; read it again
detail-unknown-region = unknown region "{ $r }"
not-found-district = district { $code }
conflict-cluster-exists = cluster "{ $code }" exists
not-found-cluster = cluster { $code }
conflict-round-exists-change-patch = the { $year } round exists; change it with PATCH
not-found-round = no round for { $year }
precondition-failed-someone-else-changed-round-at = someone else changed the { $year } round at the same moment; read it again and redo your change
detail-limit-1 = limit is 1–{ $MAX_PAGE }
not-found-brain-plaque = no brain with plaque { $number }
precondition-failed-changed-at-same-moment-read = { $what } { $id } changed at the same moment; read it again
conflict-plaque-revoked = the plaque is revoked
not-found-evaluation = evaluation { $id }
conflict-evaluation-confirmed-already = this evaluation is confirmed already
conflict-plan-answers-confirmed-evaluation-put = a plan answers the confirmed 不合格 evaluation that put the brain under rectification
conflict-plan-filed-already = the plan is filed already
not-found-contracting-process = contracting process { $ocid }
not-found-extension-file = extension file { $name }
not-found-webhook = webhook { $id }
conflict-webhook-changed-at-same-moment = webhook { $id } changed at the same moment; read it again
conflict-webhook-disabled = webhook { $id } is { $status }, not disabled
not-found-account = account
conflict-username-taken = the username "{ $username }" is taken
detail-password-checking-saturated-try-again = password checking is saturated; try again shortly
detail-too-many-failed-logins-account = too many failed logins for this account or from this address; try again later
unauthorized-wrong-username-password = wrong username or password
conflict-password-was-changed-someone-else = the password was changed by someone else meanwhile; try again
not-found-account-2 = account { $id }
conflict-enquiries-taken-while-call-open = enquiries are taken while the call is open for bids; it is { $status }
not-found-enquiry = enquiry { $id }
conflict-enquiry-was-answered-at = the enquiry was answered at { $at }
conflict-enquiry-was-answered-meanwhile = the enquiry was answered meanwhile
conflict-call-changed-meanwhile-answer-again = the call changed meanwhile; answer again
not-found-msg = { $subject } { $id }
conflict-bid-s-call-opened-yet = the bid's call is not opened yet: bids are sealed until the opening
not-found-finding = finding { $id }
conflict-finding-already-final = the finding is already final
precondition-failed-finding-changed-meanwhile-read-again = the finding changed meanwhile; read it again
conflict-bids-still-sealed = the bids are still sealed
unauthorized-ranking-public-from-notice = the ranking is public from the notice on
forbidden-ranking-commission-s-until-notice = the ranking is the commission's until the notice
conflict-objections-taken-only-during-notice = objections are taken only during the notice period
forbidden-only-bidder-call-may-object = only a bidder on this call may object to its award (a losing bidder)
forbidden-your-bid-proposed-award-objections = your bid is proposed for the award; objections are for the bidders it passed over
not-found-objection = objection { $objection_id }
conflict-objection-has-been-answered = this objection has been answered
not-found-selection = selection { $id }
precondition-failed-project-changed-at-same-moment = project { $id } changed at the same moment; read it again
not-found-round-2 = no round for { $y }
not-found-agreement = agreement { $id }
conflict-signed-agreement-changes-only-amendment = a signed agreement changes only by an amendment (POST /projects/{ $id }/amendments)
precondition-failed-agreement-changed-at-same-moment = agreement { $id } changed at the same moment; read it again
conflict-only-draft-confirmed = only a draft is confirmed
conflict-has-confirmed-text-already = the { $party } has confirmed this text already
conflict-draft-complete-enough-confirm-commission = the draft is not complete enough to confirm; the commission completes it first
conflict-draft-open-confirm-edit-before = a draft is open; confirm or edit it before amending again
conflict-nothing-signed-yet-edit-draft = nothing is signed yet: edit the draft instead
conflict-task-agreement-signed-yet = the task agreement is not signed yet
conflict-progress-reported-while-project-construction = progress is reported while the project is in construction; it is { $status }
conflict-reports-cover-quarters-from-agreement = reports cover the quarters from { $signed_q } (the agreement's signing) to { $today } (now)
conflict-report-has-been-filed = the report for { $period } has been filed
conflict-supervision-runs-from-agreement-s = supervision runs from the agreement's signing to acceptance; the project is { $status }
not-found-follow-up = follow-up { $id }
conflict-follow-up-closed = this follow-up is closed
conflict-exception-recorded-already = an exception is recorded already
conflict-exception-rectification-recorded-already = an exception for this rectification is recorded already
conflict-exception-completed-project-whose-request = an exception is for a completed project whose request for acceptance is late, or a project under rectification whose re-review is late
conflict-acceptance-requested-once-brain-declared = acceptance is requested once the brain is declared built; the project is { $status }
conflict-acceptance-must-requested-within-one = acceptance must be requested within one month of completion ({ $done }): the deadline { $to_string } passed { $days } day(s) ago; the commission may record an exception
not-found-public-event = public event { $seq }
not-found-event = event { $seq }
detail-limit-must-1 = limit must be 1 to { $MAX_SCORE_PAGE }
detail-left-out-limit = left_out_limit must be 1 to { $max }
detail-no-list-no-relaxation = no list satisfies these constraints: { $conflicts }; no single relaxation helps
detail-no-list-relaxations = no list satisfies these constraints: { $conflicts }; any one of these would allow a list: { $relaxations }
not-found-proposal = proposal { $id }
forbidden-district-officer-files-proposals-own = a district officer files proposals for its own district only
detail-page-1-per-page-1 = page is 1–{ $MAX_PAGE } and per_page is 1–100
forbidden-only-proposal-s-owner-edits = only the proposal's owner edits it
precondition-failed-someone-else-changed-proposal-at = someone else changed proposal { $id } at the same moment; its ETag is now { $into }; read it again and redo your change
forbidden-only-may = only { $whom } may { $action }
conflict-panel-fixed-once-call = the panel is fixed once the call is { $status }
forbidden-panel-shown-commission-experts = the panel is shown to the commission and its experts
conflict-who-bid-sealed-until-bids = who bid is sealed until the bids are opened
not-found-user = user { $user_id }
forbidden-district-officer-registers-organisations-own = a district officer registers organisations of its own district only
conflict-organisation-unified-social-credit-code = an organisation with this unified social credit code exists
forbidden-organisations-visible-commission-districts-applicants = organisations are visible to the commission, districts and applicants
not-found-organisation-2 = organisation { $id }
not-acceptable-accept-header-allows-neither-nor = the Accept header allows neither { $XLSX } nor text/csv
not-found-route = no route for { $req }
detail-after-must-cursor-previous-page = after must be the cursor a previous page gave

## field messages
field-blank = must not be blank
field-at-least = must be at least { $min }
field-not-negative = must not be negative
field-zero-or-more = must be 0 or more
field-out-of-range = out of range
field-limit-range = must be 1 to { $max }
field-after-cursor = must be a cursor: the last id (or seq) seen, 0 or more
field-between = must be between { $min } and { $max }
field-chars = must be { $min }–{ $max } characters
field-at-most-chars = must be at most { $max } characters
field-in-future = is in the future
field-named-twice = named twice
field-missing = missing field `{ $name }`
field-unknown = unknown field `{ $name }`
field-invalid-type = invalid type: { $got }, expected { $expected }
field-invalid-value = invalid value: { $got }, expected { $expected }



field-import-too-many-rows = at most { $max } rows per request ({ $sent } sent); split the import
field-tree-too-small = event { $seq } is leaf { $idx }: the tree must hold more than { $idx } leaves

field-cap-at-least-one = must be at least 1, or null for no cap
field-hundredths-range = must be { $min }–{ $max } (hundredths of a point)
field-unreadable = unreadable
field-budget-total-too-large = the total is too large
field-first-version-corrects-nothing = the first version corrects nothing
field-scored-twice = scored twice
field-score-every-criterion = score every criterion of the rubric
field-say-why-chars = say why, in { $min }–{ $max } characters
field-say-why-at-least = say why in at least { $min } characters
field-requirements-blank = say what the builder must deliver
field-attachment-document-required = required: upload the file to the bid (POST /api/v1/bids/{ "{" }id{ "}" }/attachments) and name the document here
field-district-required = required: it decides which district reviews the proposal
field-required-for-applicant = required for an applicant
field-required-for-district-officer = required for a district officer
field-only-applicant-evaluator-organisation = only an applicant or an evaluator is bound to an organisation
field-only-district-officer-district = only a district officer is bound to a district
field-one-of = one of { $values }
field-attachment-name-not-accepted = not accepted: the name is the uploaded document's
field-not-a-cursor = not a cursor of this list (`<total>:<id>`)
field-name-experts-or-draw = name experts or ask for a draw
field-webhook-event-types-empty = name at least one: "*", an aggregate type or "<type>.<event kind>"
field-evidence-required = name at least one evidence document
field-rubric-empty = name at least one criterion the experts score
field-first-after-second = must not exceed second
field-statement-name = must name the person making the statement (1 to 100 characters)
field-password-unchanged = must differ from the current password
field-evidence-blank = must describe or reference the evidence
field-closes-before-opens = must be after opens_at, or no bid could ever arrive
field-whole-percentage = must be a whole percentage from 1 to 100
field-hex-digits = must be { $count } hex digits
field-lower-hex-digits = { $count } lowercase hexadecimal digits
field-username = must be 3–64 characters: letters, digits, '.', '_' or '-'
field-code-chars = must be 2–40 characters: a-z, 0-9 and _
field-chars-when-given = must be { $min }–{ $max } characters when given
field-seconds-between = must be { $min } to { $max } seconds
field-milestones-order = milestones must be in date order
field-measured-twice = measured twice
field-not-a-criterion = is not a criterion of this call's rubric
field-body-empty = empty
field-pinned-and-excluded = both pinned and excluded
field-before-visit = before the visit
field-targets-empty = at least one indicator
field-budget-empty = at least one funding source
field-after-completion = after the completion date
field-acceptance-max-points = acceptance criteria are scored out of 100 points (10000 hundredths)
field-days-between = must be { $min }–{ $max } days
field-unique-target-key = 1–200 characters, unique among the targets
field-unique-budget-source = 1–200 characters, unique among the sources
field-unique-milestone-key = 1–200 characters, unique among the milestones
field-grade-thresholds = 0 ≤ pass ≤ good ≤ excellent ≤ 10000 (hundredths of a point)
field-evaluator-is-builder = the evaluator belongs to the builder; a third party is needed
field-evaluator-unbound = the evaluator is bound to no organisation; bind it to its third-party body first
field-class-level = must be 1 (大类), 2 (中类) or 3 (小类)
field-rows-empty = at least one row
field-password-wrong = is not the account's password
field-merge-patch-object = a merge patch object with `form` and/or `plan`
field-between-one-and-second = must be 1 to second
field-applicant-own-organisation = an applicant files proposals for its own organisation
field-applicant-builds-own = an applicant's proposal is built by its own organisation
field-officer-own-district = a district officer's proposal stays in its district
field-say-why-ineligible = say why it is ineligible
field-file-empty = the file is empty
field-only-expert-profile = only an expert has an expert profile
field-invalid = invalid
field-proposal-document-kinds = a proposal's documents are intent_form or plan
field-decimal-u64 = a decimal u64
field-unknown-district = unknown district code '{ $code }'
field-unknown-cluster = unknown cluster code '{ $code }'
field-positive-id = must be a positive id
field-phone = must be 7 to 20 characters of digits, '+' and '-'
field-class-requires-level = requires { label-class-level } to be given
field-class-not-under = '{ $code }' does not belong to { label-class-level } '{ $parent }'
field-class-digits = must be { $digits } digits ({ label-class-level })
field-unknown-class = unknown industry class code '{ $code }'
field-class-not-level = '{ $code }' is not a { label-class-level }
field-finite-number = must be a finite number
field-end-before-start = must not be before start ({ $start })
field-due-before-start = must not be before the schedule start ({ $start })
field-due-after-end = must not be after the schedule end ({ $end })
field-milestone-out-of-order = milestones must be in date order: before milestones[{ $index }] ({ $before })
field-media-type = the bytes are { $sniffed }; a { $kind } must be one of { $allowed }
field-media-type-unknown = the bytes are of no recognised type; a { $kind } must be one of { $allowed }
field-file-name-path = must be a file name without a path
field-control-characters = must not contain control characters
field-reason-too-short = a change to the deadline or the weights after intake opened needs a reason of at least { $min } characters
field-reason-required = required: the deadline or the weights change after intake opened; say why (at least { $min } characters)
field-agreement-no-indicator = the agreement has no indicator { $key }
field-agreement-no-milestone = the agreement has no milestone { $key }
field-agreement-no-source = the agreement has no funding source { $source }
field-measure-every-indicator = measure every indicator; missing: { $missing }
field-justification-short = write at least { $min } characters saying why
field-not-in-pool = P-{ $id } is not in the round's eligible pool
field-statement-required = a truthfulness statement is required: { "{" }"statement": "{ $statement }", "name": …{ "}" }
field-statement-exact = must be exactly "{ $statement }"
field-criterion-duplicate = { $name } is already rubric[{ $index }]; criterion names must be unique
field-criterion-max-points = must be from 1 to { $max } (hundredths of a point, i.e. 0.01 to { $points } points)
field-rubric-weights-sum = the weights must sum to 100; they sum to { $total }
field-notice-days = must be from { $min } (招标投标法实施条例 Art. 54) to { $max } natural days
field-amendment-hours = an amendment extends the window by at least { $min } hours
field-criterion-not-scored = { $criterion } score every criterion of the rubric
field-criterion-unknown = { $criterion } is not a criterion of this call's rubric
field-criterion-points-range = { $criterion } must be 0–{ $max } (hundredths of a point)
field-points-up-to = must be between 0 and { $name } ({ $max }), in hundredths of a point
field-maxima-sum = part maxima must sum to { $full } (100 points in hundredths), not { $sum }
field-too-many-leading = at most { $max } leading industries for { $district }, got { $count }
field-too-many-characteristic = at most { $max } characteristic industries, got { $count }
field-no-such-code = no { $kind } with code { $code }
field-code-named-twice = { $code } is named twice
field-not-an-expert = user { $id } is not an expert
field-already-on-panel = expert { $id } is already on the panel
field-draw-size = between 1 and the { $available } experts available
field-email = must be an email address like name@example.com
field-class-code = { $code } is not an industry class code (2, 3 or 4 digits)
field-uscc-length = must be 18 characters, got { $count }
field-uscc-character = character { $position } ({ $character }) is not allowed
field-uscc-division = characters 3–8 must be the digits of an administrative division code
field-uscc-check = check character should be { $expected }, got { $got }
field-quarter = { $text } is not a quarter like 2024Q3
field-secret-prefix = must start with { $prefix }
field-secret-base64 = must be { $prefix } followed by base64
field-secret-length = must hold 24 to 64 bytes; this one holds { $count }
field-event-type = { $kind } is not an event type; use "*", one of { $known } or "<type>.<event kind>"
field-event-kind = { $kind } is not an event kind (lower-case letters and `_`)
field-url-absolute = is not an absolute URL ({ $error })
field-url-scheme = must be http or https, not { $scheme }
field-url-host = must name a host
field-url-credentials = must not carry credentials (sign with the secret instead)
field-url-fragment = must not have a fragment
field-password-short = must be at least { $min } characters
field-password-whitespace = must not be only whitespace
field-password-username = must not be the username
field-password-repeated = must not be one character repeated
field-password-common = is a commonly used password; choose another
field-no-organisation = no organisation { $id }
field-no-district = no district { $code }
field-no-bid-in-call = no bid { $id } in this call
field-no-account = no account { $name }
field-after-intake-deadline = after the intake deadline { $deadline }
field-tree-size-at-most = must be at most the tree's size ({ $size })
field-tree-size-between = must be 1 to the tree's size ({ $size })
field-at-most-items = at most { $max }
field-no-attachment = no attachment { $id } of your bid on this call: upload it first
field-no-document-version-sha = no version of document { $id } has this SHA-256
field-expert-conflicted = expert { $id } is conflicted with the builder: { $why }
field-code-also-in-row = { $code } also appears in row { $row }
field-major-has-no-parent = a 大类 has no parent, got { $got }
field-parent-must-be = must be { $want }
field-parent-prefix = must be { $want } (the code's prefix), got { $got }
field-parent-unknown = parent { $want } is neither stored nor an earlier row
field-not-an-evaluator = user { $id } is not an evaluator
field-completed-on-range = between the agreement's signing ({ $signed_on }) and today ({ $today })
field-selection-other-round = selection { $id } belongs to the { $year } round
field-correction-reason-required = version { $version } is published; a new version is a correction and needs its reason
field-not-district-officer-of = { $name } is not a district officer of { $district }
field-member-name = the member name { $problem }
field-line-break-in-one-line = contains the control character { $code } (this field is one line)
field-control-character = contains the control character { $code }
field-bidi-control = contains the bidirectional control { $code }, which makes text display differently from what it is
field-only-invisible = holds only invisible characters
bad-request-path-parameter-int = the path parameter { $name } is not valid: { $value } is not an integer (int32)
field-not-int32 = { $value } is not an integer (int32)
field-hundredths-number = { $value } must be a non-negative number with at most two decimals

## states and enums
call-status-announced = announced
call-status-open = open
call-status-closed = closed
call-status-opened = opened
call-status-under_review = under review
call-status-notice = public notice
call-status-awarded = awarded
call-status-unsuccessful = unsuccessful
call-status-cancelled = cancelled
plaque-status-active = active
plaque-status-rectifying = under rectification
plaque-status-revoked = revoked
grade-excellent = excellent
grade-good = good
grade-pass = pass
grade-fail = fail
region-main_urban = Main urban zone (主城都市区)
region-northeast = Northeast Three Gorges group (渝东北三峡库区城镇群)
region-southeast = Southeast Wuling group (渝东南武陵山区城镇群)
criterion-completeness = Plan completeness
criterion-representativeness = Industry representativeness
criterion-layout = District industrial layout

## left-out reasons
reason-excluded = excluded by the panel
reason-below_floor = completeness { $completeness } is below the floor { $floor }
reason-same_district = its district already has { $as } (total { $total })
reason-same_cluster = its cluster already has { $as } (total { $total })
reason-outranked = outranked: the lowest chosen, { $as }, has { $total }
reason-displaced = displaced by the constraint: { $constraint }
reason-tie_rule = the tie rule prefers { $as }
forcing-cost = putting it in would cost { $cost } points
forcing-impossible = no list satisfying the constraints can include it
weight-range = the list stays the same for { $name } weights from { $low }% to { $high }% (now { $current }%)

## pages
site-title = Industry brains: unveil the list and take command
site-subtitle = Chongqing Commission of Economy and Information Technology — public notices
nav-home = Home
nav-brains = Plaque register
lang-switch = 中文
json-link = The same data as JSON
ocds-link = Open Contracting (OCDS) release package
print-hint = Printable on A4 for the notice board.
home-intro = Five industry brains a year are chosen through a public competition: districts propose, the commission selects the list on three published criteria, builders bid in sealed calls, experts score, and the award is published for objections before it is final.
home-rounds = Rounds
home-calls = Calls
round-line = { $year }: { $title }; intake until { $deadline }; list of { $size }
round-list-link = The { $year } list
no-list = not published yet
list-title = The { $year } industry brain list (version { $version })
list-published = Published { $at }. { $note }
list-versions = Versions
list-correction = Correction: { $reason }
list-current = current
col-rank = Rank
col-direction = Brain
col-district = District
col-cluster = Cluster
col-class = Industry class
col-total = Weighted total
col-proposal = Proposal
col-reason = Why not chosen
col-cost = Cost of including it
col-weight = Criterion
col-range = Range that keeps the list
col-status = Status
col-bidder = Bidder
col-budget = Budget (10k yuan)
col-expert = Expert
col-number = Plaque number
col-builder = Builder
col-date = Date
col-grade = Latest grade
col-window = Window
col-bids = Bids
weights-line = Weights: completeness { $c }%, representativeness { $r }%, layout { $l }%.
list-items = List items
list-chart = Score parts of the chosen and the strongest left out
list-left-out = Strongest proposals not chosen
list-weights = How far each weight can move
list-targets = Targets
call-title = Call { $id }: { $direction }
call-window = Open from { $opens } to { $closes }
call-bids = Bids received: { $count }
call-sealed = The bids are sealed: who bid is not shown before the opening.
call-winners = Winners
call-ranking = Ranking (experts anonymised)
call-objections = Objections and answers
call-no-objections = No objection was received.
call-objections-count = { $total } objection(s), { $unanswered } unanswered
objection-upheld = upheld
objection-dismissed = dismissed
objection-grounds = Grounds
objection-answer = Answer
call-award-note = Award note
call-requirements = Requirements
chart-trimmed = trimmed (highest/lowest dropped)
chart-kept = counted
brains-title = Register of plaqued industry brains
brains-empty = No plaque has been issued yet.
footer = This page is public (此件公开发布). Times are Beijing time.

## spreadsheet exports
sheet-scores = Scores
sheet-parts = Score parts
sheet-chosen = Chosen
sheet-left-out = Left out
sheet-weights = Weight ranges
sheet-ranking = Ranking
sheet-sheets = Score sheets
col-district-code = District code
col-cluster-code = Cluster code
col-region = Region
col-margin = Margin
col-message = Explanation
col-current = Current (%)
col-low = Lowest (%)
col-high = Highest (%)
col-part = Part
col-points = Points
col-max = Maximum
col-criterion = Criterion
col-weight-pct = Weight (%)
col-mean = Mean
col-dropped-high = Dropped highest
col-dropped-low = Dropped lowest
col-eligible = Eligible
col-bid = Bid
col-run = Selection run
sheet-notices = Public notices
sheet-winners = Winners
sheet-objections = Objections
col-call = Call
col-year = Year
col-notice-start = Notice from
col-notice-end = Notice until
col-winners = Winners
col-objections = Objections
col-unanswered = Unanswered
col-overdue = Overdue
col-objection = Objection
col-submitted = Received
col-due = Answer due
col-outcome = Outcome
col-answered = Answered
yes = yes
no = no

## selection constraints (codes of the explanation)
constraint-pins = a pinned proposal must stay
constraint-each_region = each region of 一区两群 keeps one item
constraint-min_per_model = the minimum per construction model
constraint-max_per_district = at most one item per district
constraint-max_per_cluster = at most one item per cluster
constraint-combination = no swap keeps every constraint

## notices to people (reason codes of GET /users/me/notifications)
notice-proposal-returned = Proposal { $proposal } was returned for changes: { $reason }
notice-intake-deadline-soon = The { $year } intake closes on { $deadline }: your proposal is not submitted yet
notice-call-opened = Call { $call } is open for bids until { $closes_at }
notice-call-closing-soon = Call { $call } closes for bids on { $closes_at }
notice-objection-to-answer = Objection { $objection } to the award of call { $call } awaits an answer
notice-progress-report-due = The { $quarter } progress report of project { $project } is due by { $due }
notice-acceptance-request-overdue = Project { $project }: acceptance should have been requested by { $due }

## the CLI's demo output (`jiebang demo --lang en`)
demo-loaded = Loaded { $count } demo proposals into the { $year } round ({ $organisations } organisations, { $accounts } accounts, password { $password }).
demo-list-title = { $year } 行业大脑建设榜单, version { $version } — from selection #{ $run }
demo-solver = {"  "}solver: { $solver } ({ $version })
demo-inputs = {"  "}inputs sha256: { $hash }
demo-weights = {"  "}weights: completeness { $c } / representativeness { $r } / layout { $l }; objective { $objective } points
demo-tie-rule = {"  "}tie rule: { $rule }
demo-item = { $rank }. { $direction } — district { $district } { $district_code }, cluster { $cluster } { $cluster_code }, total { $total } (completeness { $completeness }, representativeness { $representativeness }, layout { $layout })
demo-left-out = Left out, strongest first:
demo-left-out-line = {"  "}P-{ $id } ({ $total }): { $why }
demo-weight-ranges = How far each weight can move before the list changes:

## documents and notifications
not-found-owner = { $owner } { $id }
payload-too-large-document-kind = a { $kind } must be at most { $limit } bytes ({ $setting })
forbidden-only-owner-uploads = only the { $owner }'s owner uploads its documents
not-found-document = document { $id }
not-found-document-version = document { $id } version { $version }
not-found-notification = notification { $id }
payload-too-large-document = no document may be larger than { $limit } bytes (documents.max_bytes_*)
bad-request-body-unreadable = the body could not be read: { $error }
bad-request-path-parameter = the path parameter { $name } is not valid: { $reason }
bad-request-path-no-integer = the path has no integer parameter

## state and action labels, by code (409 answers name them; the codes stay in `current_state`)
label-call-status = { $status ->
    [under_review] under review
   *[other] { $status }
}
label-call-action = { $action ->
    [open_bids] open the bids of
    [start_review] start the review of
    [award] award
    [uphold_objection] uphold an objection against
    [finalize] finalize
    [declare_unsuccessful] declare unsuccessful
    [cancel] cancel
   *[other] { $action }
}
label-proposal-status = { $status ->
    [not_listed] not listed
   *[other] { $status }
}
label-proposal-action = { $action ->
    [mark_eligible] mark eligible
    [mark_ineligible] mark ineligible
    [not_list] not list
   *[other] { $action }
}
label-project-status = { $status ->
    [in_construction] in construction
    [acceptance_requested] acceptance requested
    [under_acceptance] under acceptance
   *[other] { $status }
}
label-project-action = { $action ->
    [sign_agreement] sign the agreement
    [declare_completion] declare completion
    [request_acceptance] request acceptance
    [start_acceptance] start acceptance
   *[other] { $action }
}
label-plaque-status = { $status ->
    [rectifying] under rectification
   *[other] { $status }
}
label-class-level = { $level ->
    [major] major (大类)
    [middle] middle (中类)
   *[other] minor (小类)
}
label-map-entry-kind = { $kind ->
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
   *[other] { $rating }
}
label-plaque-action = { $action ->
   *[other] { $action }
}

## rules of the programme, as people read them (ids `rule-…`)
rule-weights-sum = weights must each be between 0 and 100 and sum to 100 (got completeness { $completeness } + representativeness { $representativeness } + layout { $layout } = { $total })
rule-eligibility-not-in-chongqing = the bidder is not registered in a Chongqing district or zone
rule-eligibility-capital-unknown = registered capital is unknown; at least { $required } 万元 is required
rule-eligibility-capital-below = registered capital { $capital } 万元 is below the required { $required } 万元
rule-eligibility-earlier-award = the bidder already holds an award in this round
rule-conflicts-closed-notice = conflicts are declared until the award is proposed; the call is in its public notice: a conflict found now is grounds for an objection (POST /calls/{ "{" }id{ "}" }/objections), which can return the call to review
rule-conflicts-closed = conflicts are declared until the award is proposed; the call is { $status }
rule-scoring-closed = scores are taken only while the call is under review; it is { $status }
rule-award-count = the call has { $winners } winner(s); name exactly that many
rule-award-unranked = only { $ranked } bid(s) are ranked; score them first
rule-award-not-top = the award follows the ranking: the top { $winners } are { $top }
rule-notice-running = the notice runs until { $ends }
rule-objections-unanswered = objection(s) { $ids } are not answered yet
rule-acceptance-outcome = the rule allows only { $allowed } here: { $rule }
rule-evaluation-awaits-confirmation = an evaluation awaits the commission's confirmation
rule-evaluation-once-a-year = the brain has had its annual evaluation for { $year }; one a year
rule-evaluation-no-failed = no evaluation put the brain under rectification
rule-evaluation-plan-first = the builder files its rectification plan before the re-evaluation
rule-rectification-deadline-passed = the rectification deadline { $until } has passed; the commission decides on revocation
rule-evaluation-last-passed = the last evaluation passed
rule-revoke-not-rectifying = only a brain under rectification is revoked; this one is { $status }
rule-rectification-running = the rectification runs until { $until }; revocation needs a failed re-evaluation or the deadline passed
rule-rectification-no-deadline = no rectification deadline is set
rule-intake-closed = the intake deadline { $deadline } has passed
rule-eligibility-failed = { $rule }: { $why }
unavailable-document-store-write = the document store did not take the file; nothing was recorded, send it again
conflict-proposal-documents-status = the proposal is { $status }; documents are added while it is a draft or returned
precondition-failed-document-version-race = another version was uploaded at the same moment; read the document again
unavailable-document-store-read = the document store did not answer; try again

## the demo's years after the list (`jiebang demo`)
demo-y-cast = { $y }-03-05  示例 bidders: { $organisations } organisations with applicant accounts; { $experts } experts; third-party evaluator { $evaluator } ({ $body })
demo-y-calls = { $y }-03-06  { $count } calls (揭榜) announced, one per list item: bids { $y }-03-11 09:00 – 03-20 17:00, one winner each, 7 days' notice
demo-y-panel = { $y }-03-07  { $direction }: panel of 3 drawn (seed { $seed }): { $names }
demo-y-sealed-bids = { $y }-03-12  sealed bids:
demo-y-sealed-bids-item = {"  "}{ $direction } { $count } ({ $winner }, { $rival })
demo-y-opened = { $y }-03-20  bids opened after the close: { $verified } receipts verified against the sealed content; review started
demo-y-ranking = { $y }-03-25  { $direction }: ranking { $ranking } → notice: { $winner } to 挂帅 (7 days for objections)
demo-y-objection = { $y }-03-27  { $direction }: { $rival } objects (异议); answered { $y }-03-28, not upheld
demo-y-awards-final = { $y }-04-02  notices over, objections answered: awards final, { $count } projects (建设项目) created, each with a draft 任务书
demo-y-agreement = { $y }-04-11  { $direction }: 任务书 signed by the commission, { $builder } and district { $district } { $district_code } — { $indicators }; budget { $budget } 万元; to be built by { $completion }
demo-y-in-construction = { $y }-04-11  { $count } projects in construction (under their districts' supervision)
demo-y-progress = { $day }  progress reports for { $period } filed by the { $count } builders (within 15 days of the quarter's end)
demo-y-supervision = { $y }-09-18  { $direction }: on-site supervision (督导) by district { $district } { $district_code }, rated { $rating }
demo-y-supervision-warning = { $y }-09-18  { $direction }: on-site supervision (督导) by district { $district } { $district_code }, rated { $rating }, warning to the commission: { $warning }
demo-y-follow-up = { $y }-10-08  { $direction }: follow-up "{ $action }" (due { $due }) closed by the district
demo-y-built = { $y }-12-28  all { $count } brains declared built (建成); acceptance to be requested by { $due }
demo-y-acceptance-requested = { $y }-01-08  acceptance (验收) requested in writing by all { $count } builders, within the month
demo-y-acceptance-panel = { $y }-01-12  { $direction }: acceptance panel drawn (seed { $seed }, the builder's people excluded): { $names }; evaluator { $evaluator } engaged
demo-y-acceptance-scored = { $y }-01-16  panels scored; the evaluator measured every indicator against its target, with hashed evidence
demo-y-accepted = { $y }-01-20  { $direction }: accepted (panel { $score }, every mandatory indicator met) → plaque (授牌) { $plaque }
demo-y-evaluator-engaged = { $y }-01-20  { $evaluator } engaged for the annual evaluation of the { $count } brains
demo-y-evaluations-filed = { $y }-02-10  { $count } annual evaluations filed (operation, data integration, enterprises served, self-sustaining revenue, indicators); the commission confirms them
demo-y-evaluation = { $y }-02-15  { $plaque } { $direction }: annual evaluation (年度常态化评价) { $score } { label-grade }
demo-y-evaluation-rectify = { $y }-02-15  { $plaque } { $direction }: annual evaluation (年度常态化评价) { $score } { label-grade } → 限期整改 (rectification) until { $until }
demo-y-rectification-plan = { $y }-02-25  { $plaque }: { $builder } filed its rectification plan; re-evaluation due by the deadline
demo-y-register = The public register of industry brains (GET /api/v1/brains, anonymous):
demo-y-register-evaluation = { $year } #{ $attempt } { $score } { label-grade }
demo-y-register-no-evaluation = none yet
demo-y-register-line = {"  "}{ $number }  { $brain } — { $builder }, district { $district } { $district_code }, issued { $issued }; { $status }; evaluations: { $evaluations }
demo-y-register-line-until = {"  "}{ $number }  { $brain } — { $builder }, district { $district } { $district_code }, issued { $issued }; { $status } until { $until }; evaluations: { $evaluations }
selection-tie-rule = maximise the sum of weighted totals; among lists with the same maximum, prefer the list containing the earliest-sealed proposal that can be in an optimal list, then the next earliest, and so on (earlier sealed_at first, then lower id)
rule-link-works-at = works at the bidder
rule-link-worked-until = worked at the bidder until { $until } (within 3 years)
field-joint-builder-is-lead = the lead builder is not also a joint builder
field-joint-builder-twice = organisation { $id } is named twice
# District inventories (领军（链主）企业, 专精特新企业, 特色产业集群) and a proposal's inventory check.
field-inventory-chain-leader-only = only a chain leader (链主) entry has in-city suppliers
field-no-inventory-entry = no inventory entry { $id }
not-found-inventory-entry = inventory entry { $id }
forbidden-district-officer-inventory-own = a district officer writes its own district's inventory only
conflict-inventory-enterprise-listed = this enterprise (unified social credit code) is already in this list of the district
conflict-inventory-cluster-recorded = this cluster is already recorded for the district and year
precondition-failed-inventory-changed-meanwhile = the inventory entry changed meanwhile; read it again
inventory-figure-match = as recorded in inventory entry { $entry }
inventory-figure-mismatch = the form claims { $claimed }; inventory entry { $entry } records { $recorded }
inventory-figure-not-recorded = inventory entry { $entry } records no figure to compare with
inventory-chain-leader-not-listed = the chain leader is not in district { $district }'s inventory of chain leaders
inventory-chain-leader-wrong-kind = inventory entry { $entry } is a 专精特新 enterprise, not a chain leader
inventory-chain-leader-other-district = inventory entry { $entry } is listed by district { $recorded }, not by the proposal's district { $district }
inventory-cluster-not-listed = district { $district } records no characteristic cluster of { $cluster }
inventory-supplier-not-listed = no inventory entry { $entry }
inventory-supplier-listed = { $name } ({ $kind }, district { $district })
field-project-document-kinds = a project takes task_agreement, acceptance_evidence or evaluation_report documents
forbidden-project-documents-parties = a project's documents are for its parties: the commission, its district's officers and the builder
