"""Every word the planning app, the explorers and their charts show, in English and Chinese.

One mapping, ``key -> (English, Chinese)``, so the texts can move into a
translation catalogue in one piece.  :func:`text` picks a language;
:func:`options` turns a tuple of code names (``average_of_proportions``)
into ``(label, value)`` pairs for a dropdown.
"""

from __future__ import annotations

__all__ = ["LABELS", "LANGUAGES", "text", "options", "month_names"]

#: Languages with a column in :data:`LABELS`.
LANGUAGES = ("en", "zh")

#: key -> (English, Chinese).  Keys are code names where one exists (a split
#: method, a column), else a short dotted name of the place the text appears.
LABELS: dict[str, tuple[str, str]] = {
    # -- the app ------------------------------------------------------------
    "app.title": ("Sales plan {year}", "{year} 年销售计划"),
    "app.company": ("Company data", "公司数据"),
    "app.source.sample": ("Bundled sample company", "内置示例公司"),
    "app.source.folder": ("A folder on the server", "服务器上的文件夹"),
    "app.source.upload": ("Upload my files", "上传我的文件"),
    "app.folder": ("Folder", "文件夹"),
    "app.folder.placeholder": ("e.g. /data/acme", "例如 /data/acme"),
    "app.upload": ("Choose files", "选择文件"),
    "app.upload.hint": ("accounts.csv, reps.csv, history.csv, assumptions.yaml and, if you have it, "
                        "commitments.csv",
                        "accounts.csv、reps.csv、history.csv、assumptions.yaml，以及（如有）commitments.csv"),
    "app.load": ("Load and check", "载入并检查"),
    "app.loading": ("Checking the files and building the plan ...", "正在检查文件并生成计划……"),
    "app.loaded": ("{name}: {accounts:,} accounts, {staff} staff rows, history {first} to {last}",
                   "{name}：{accounts:,} 个客户，{staff} 行人员，历史数据 {first} 至 {last}"),
    "app.bad_input": ("The files have problems -- nothing was planned. Fix them and load again.",
                      "文件有问题，未生成计划。请修改后重新载入。"),
    "app.infeasible": ("The plan cannot be built with these settings.", "按当前设置无法生成计划。"),
    "app.warnings": ("Please check ({n}):", "请核对（{n} 条）："),
    "app.upload.none": ("Choose the files first.", "请先选择文件。"),
    "app.upload.unknown": ("{name}: not a file of a company folder; expected {valid}",
                           "{name}：不是公司数据文件；应为 {valid}"),
    "app.export": ("Prepare the Excel workbook", "生成 Excel 工作簿"),
    "app.export.busy": ("Building the workbook with the settings of every tab ...",
                        "正在按各页设置生成工作簿……"),
    "app.export.ready": ("Download {name} ({size:,} KB)", "下载 {name}（{size:,} KB）"),
    "app.export.note": ("The workbook holds one plan with the settings of every tab.",
                        "工作簿包含按各页设置生成的完整计划。"),
    "app.unexpected": ("Something went wrong: {error}", "出错了：{error}"),
    "tab.targets": ("Targets", "目标"),
    "tab.territories": ("Territories", "区域"),
    "tab.staffing": ("Staffing", "人员"),
    "tab.review": ("Review", "回顾"),
    "busy": ("Updating the plan ...", "正在更新计划……"),
    "refining": ("First plan shown; refining it ...", "已显示初步方案，正在优化……"),
    "previous": ("Below: the last plan that could be built with other settings.", "下方为按之前设置生成的最近一版计划。"),
    # -- controls -----------------------------------------------------------
    "growth": ("Growth on last year", "较去年增长"),
    "line_growth": ("Growth of {line}", "{line} 增长"),
    "split_method": ("Split the target by", "目标分解依据"),
    "seasonality": ("Monthly pattern", "月度分布"),
    "show_by": ("Show by", "查看维度"),
    "metric": ("Measure", "指标"),
    "tolerance": ("Workload balance (± of fair share)", "工作量均衡（公平份额的 ±）"),
    "max_moved": ("Most accounts changing rep (100% = no limit)", "最多更换负责人的客户（100% = 不限）"),
    "potential_weight": ("Weight of potential in the balance", "均衡中潜力的权重"),
    "attrition": ("Staff leaving a year", "年离职率"),
    "ramp_months": ("Months to full productivity", "达到完全产能的月数"),
    "time_to_fill": ("Months to fill a job", "招聘周期（月）"),
    "visits_per_day": ("Customer visits a day", "每日拜访客户数"),
    "hires": ("Planned hires (month, people)", "计划招聘（月份，人数）"),
    "hires.add": ("Add a month", "增加月份"),
    "hires.apply": ("Apply hires", "应用招聘计划"),
    "hires.remove": ("Remove", "删除"),
    "hires.none": ("No extra hires: the plan keeps today's staff and open requisitions.",
                   "无额外招聘：计划沿用现有人员和空缺岗位。"),
    "hires.applied": ("Applied: {hires}", "已应用：{hires}"),
    "number.bad": ("'{text}' is not a number; type e.g. 10% or 0.1", "“{text}”不是数字；请输入如 10% 或 0.1"),
    "number.range": ("{value} is outside {low} to {high}", "{value} 超出 {low} 至 {high} 的范围"),
    # -- option labels -------------------------------------------------------
    "history": ("Last year's share", "去年占比"),
    "potential": ("Potential of the accounts held", "所负责客户的潜力"),
    "blended": ("Blend of history, potential and equal", "历史、潜力与平均的加权"),
    "equal": ("Equal shares", "平均分配"),
    "capacity": ("Capacity (run rate x months on payroll)", "产能（月均业绩 × 在职月数）"),
    "average_of_proportions": ("Average of each year's monthly shares", "各年月度占比的平均"),
    "proportion_of_averages": ("Share of the monthly averages", "月度平均值的占比"),
    "flat": ("Flat (1/12 a month)", "平均（每月 1/12）"),
    "working_days": ("Working days of the plan year", "计划年度工作日"),
    "region": ("Region", "大区"),
    "team": ("Team", "团队"),
    "product_line": ("Product line", "产品线"),
    "rep_id": ("Rep", "销售代表"),
    "revenue": ("Revenue (shipments)", "发货"),
    "collections": ("Cash collected", "回款"),
    "new_customers": ("New customers", "新客户"),
    "new_outlets": ("New outlets", "新网点"),
    "gross_profit": ("Gross profit", "毛利"),
    # -- headlines ------------------------------------------------------------
    "head.targets": ("Revenue target {revenue} · cash collected {collections} · new customers {new_customers}",
                     "发货目标 {revenue} · 回款 {collections} · 新客户 {new_customers}"),
    "head.territories": ("Largest deviation from a fair share {deviation} · travel {cost} workload-weighted km "
                         "(no plan below {bound}; gap {gap}) · {moved} accounts change rep ({moved_share})",
                         "与公平份额的最大偏差 {deviation} · 路程 {cost}（按工作量加权的公里数；下限 {bound}，差距 {gap}）"
                         " · {moved} 个客户更换负责人（{moved_share}）"),
    "head.staffing": ("Heads required {required} (planned {planned}) · expected sales {capacity} of "
                      "{target} target · chance to hit the target {p_hit}",
                      "需要人数 {required}（计划 {planned}）· 预计销售 {capacity} / 目标 {target}"
                      " · 达成目标的概率 {p_hit}"),
    # -- table captions and headers ------------------------------------------------
    "table.targets": ("{metric} target by month and {level} ({unit})", "按月和{level}的{metric}目标（{unit}）"),
    "table.moved": ("Accounts that change rep (largest workload first)", "更换负责人的客户（工作量从大到小）"),
    "table.by_rep": ("Territory of each rep", "每位代表的区域"),
    "table.sizing": ("Reps needed, three ways (the largest binds)", "所需代表人数（三种方法，取最大）"),
    "table.hiring": ("When to hire (from today's payroll)", "何时招聘（基于现有人员）"),
    "table.capacity": ("Capacity month by month", "各月产能"),
    "col.entity": ("", ""),
    "col.year": ("Year", "全年"),
    "col.total": ("Total", "合计"),
    "col.account_id": ("Account", "客户编号"),
    "col.name": ("Name", "名称"),
    "col.city": ("City", "城市"),
    "col.segment": ("Segment", "级别"),
    "col.workload": ("Workload (h/month)", "工作量（小时/月）"),
    "col.potential": ("Potential (¥/year)", "潜力（元/年）"),
    "col.current_rep_id": ("From rep", "原负责人"),
    "col.rep_id": ("To rep", "新负责人"),
    "col.rep": ("Rep", "销售代表"),
    "col.role": ("Role", "岗位"),
    "col.distance_km": ("Distance (km)", "距离（公里）"),
    "col.accounts": ("Accounts", "客户数"),
    "col.key_accounts": ("Key accounts", "大客户数"),
    "col.deviation": ("Off fair share", "偏离公平份额"),
    "col.travel_km": ("Travel (workload-weighted km)", "路程（按工作量加权的公里数）"),
    "col.load": ("Workload (h/month)", "工作量（小时/月）"),
    "col.fte": ("FTE", "全职当量"),
    "col.method": ("Method", "方法"),
    "col.reps_needed": ("Reps needed", "所需代表"),
    "col.reps_rounded": ("Rounded up", "取整"),
    "col.basis": ("How", "依据"),
    "col.binding": ("Binds", "起决定作用"),
    "col.kind": ("What", "类型"),
    "col.hire": ("Hire no.", "招聘序号"),
    "col.start_month": ("Starts", "入职月份"),
    "col.open_requisition_by": ("Open the job by", "最晚发布岗位"),
    "col.for_month": ("Needed for", "用于月份"),
    "col.capacity": ("Expected sales (¥)", "预计销售（元）"),
    "col.target": ("Target (¥)", "目标（元）"),
    "col.shortfall": ("Shortfall (¥)", "缺口（元）"),
    "col.month": ("Month", "月份"),
    "col.headcount": ("Heads (expected)", "预计人数"),
    "col.ramped_fte": ("Fully productive heads", "完全产能人数"),
    "col.capacity_revenue": ("Expected sales (¥)", "预计销售（元）"),
    "col.capacity_visits": ("Visits a month", "每月拜访"),
    "col.gap": ("Gap (¥)", "差额（元）"),
    "col.attainment": ("Attainment", "达成率"),
    "kind.hire": ("hire", "招聘"),
    "kind.shortfall": ("shortfall no hire can close", "招聘无法弥补的缺口"),
    "method.workload": ("Workload (visits)", "工作量（拜访）"),
    "method.breakdown": ("Target breakdown", "目标分解"),
    "method.funnel": ("Sales funnel", "销售漏斗"),
    "method.hiring plan": ("Hiring plan (revenue by month)", "招聘计划（按月销售额）"),
    "yes": ("yes", "是"),
    "no": ("", ""),
    # -- charts ------------------------------------------------------------------
    "unit.money": ("¥", "元"),
    "unit.thousand": ("thousand ¥", "千元"),
    "unit.count": ("count", "个"),
    "unit.heads": ("heads", "人"),
    "chart.targets": ("Monthly {metric} target by {level}", "按{level}的月度{metric}目标"),
    "chart.targets.y": ("{metric} target ({unit})", "{metric}目标（{unit}）"),
    "chart.month": ("Month of {year}", "{year} 年月份"),
    "chart.history": ("Monthly {metric} by {level}", "按{level}的月度{metric}"),
    "chart.history.y": ("{metric} ({unit})", "{metric}（{unit}）"),
    "chart.seasonality": ("Share of the year by month", "各月占全年的比例"),
    "chart.seasonality.y": ("Share of the year (%)", "占全年比例（%）"),
    "chart.capacity": ("Expected sales vs target ({unit})", "预计销售与目标（{unit}）"),
    "chart.capacity.y": ("Revenue ({unit})", "发货（{unit}）"),
    "chart.target": ("Target", "目标"),
    "chart.expected": ("Expected sales", "预计销售"),
    "chart.band": ("P10-P90 of simulated sales", "模拟销售 P10-P90"),
    "chart.heads": ("Heads by role", "各岗位人数"),
    "chart.heads.x": ("Heads", "人数"),
    "chart.current": ("Today", "现有"),
    "chart.planned": ("Planned", "计划"),
    "chart.required": ("Required by the model", "模型需要"),
    "chart.cost": ("Cost by month ({unit})", "各月成本（{unit}）"),
    "chart.cost.share": ("Cost of sales (%)", "销售成本率（%）"),
    "chart.map": ("{title}: accounts by rep", "{title}：各代表负责的客户"),
    "chart.map.proposed": ("Proposed territories", "建议区域"),
    "chart.map.today": ("Today's territories", "现有区域"),
    "chart.map.lon": ("Longitude (°E)", "经度（°E）"),
    "chart.map.lat": ("Latitude (°N)", "纬度（°N）"),
    "chart.map.base": ("Rep's base", "代表驻地"),
    "chart.map.unassigned": ("No rep", "无负责人"),
    "chart.workload": ("Each rep's workload against the ±{tolerance} band", "各代表工作量与 ±{tolerance} 区间"),
    "chart.workload.y": ("Workload / fair share (%)", "工作量 / 公平份额（%）"),
    "chart.workload.band": ("Allowed band", "允许区间"),
    "chart.workload.ok": ("Within the band", "在区间内"),
    "chart.workload.off": ("Outside the band", "超出区间"),
    "chart.visits": ("Visits a month each rep's accounts need, against a full month", "各代表客户每月所需拜访与整月拜访能力"),
    "chart.visits.y": ("Visits a month", "每月拜访次数"),
    "chart.visits.need": ("Within capacity", "能力之内"),
    "chart.visits.over": ("Above capacity", "超出能力"),
    "chart.visits.cap": ("Capacity: {per} a day x working days x FTE", "能力：每天 {per} 次 × 工作日 × 全职当量"),
    "chart.pareto": ("Last year's sales by account, biggest first", "按客户的去年销售额（由大到小）"),
    "chart.pareto.x": ("Share of accounts (%)", "客户数占比（%）"),
    "chart.pareto.y": ("Share of sales (%)", "销售额占比（%）"),
    "chart.pareto.top": ("Top {top} of accounts: {share} of sales", "前 {top} 的客户：销售额的 {share}"),
    "chart.pareto.class": ("Class {cls}: {n} accounts", "{cls}类：{n} 个客户"),
    "col.visits": ("Visits a month", "每月拜访"),
    "col.visit_capacity": ("Visit capacity", "拜访能力"),
    "col.visit_use": ("Capacity used", "能力占用"),
    "role.sales (rep, key/regular account)": ("Sales reps", "销售代表"),
    "role.manager": ("Manager", "经理"),
    "role.supervisor": ("Supervisors", "主管"),
    "role.team_lead": ("Team leads", "组长"),
    "role.assistant": ("Assistants", "助理"),
    "role.order_follower": ("Order followers", "跟单员"),
    "role.systems_clerk": ("Systems clerks", "系统文员"),
    "cost.base_salary": ("Base salary", "底薪"),
    "cost.meal": ("Meal allowance", "餐补"),
    "cost.allowances": ("Transport and phone", "交通通讯补贴"),
    "cost.commission": ("Commission", "提成"),
    "cost.travel": ("Travel", "差旅"),
    "cost.recruiting": ("Recruiting", "招聘"),
}

_MONTHS = {
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
    "zh": tuple(f"{m}月" for m in range(1, 13)),
}


def text(key: str, language: str = "en", **values) -> str:
    """The label ``key`` in ``language``, with ``{placeholders}`` filled from ``values``.

    Parameters
    ----------
    key : str
        A key of :data:`LABELS`.
    language : {"en", "zh"}
        Language of the text.
    **values
        Values for the placeholders of the text.

    Returns
    -------
    str

    Raises
    ------
    KeyError
        ``key`` is not in :data:`LABELS` (a missing label is a bug, never a
        silent code name on screen).
    ValueError
        ``language`` is not one of :data:`LANGUAGES`.
    """
    if language not in LANGUAGES:
        raise ValueError(f"language {language!r}: must be one of {', '.join(LANGUAGES)}")
    label = LABELS[key][LANGUAGES.index(language)]
    return label.format(**values) if values else label


def options(values, language: str = "en") -> list[tuple[str, str]]:
    """Dropdown options ``(label, value)`` for code names.

    Parameters
    ----------
    values : iterable of str
        Code names, each a key of :data:`LABELS`.
    language : {"en", "zh"}

    Returns
    -------
    list of (str, str)
    """
    return [(text(v, language), v) for v in values]


def month_names(language: str = "en") -> tuple[str, ...]:
    """Short names of the twelve months (``Jan`` ... or ``1月`` ...).

    Parameters
    ----------
    language : {"en", "zh"}

    Returns
    -------
    tuple of str
    """
    return _MONTHS[language]
