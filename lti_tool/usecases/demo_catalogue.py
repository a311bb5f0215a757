"""The demo organisation's content: two frameworks, anchors per level, roles and moves.

Data only; `demo_seed` stores it. Anchors are listed from the scale's lowest level up.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CompetencySpec:
    code: str
    name: str
    description: str
    anchors: tuple[str, ...] = ()
    badge_level: int | None = None


@dataclass(frozen=True)
class GroupSpec:
    code: str
    name: str
    description: str
    children: tuple[CompetencySpec, ...]


@dataclass(frozen=True)
class FrameworkSpec:
    name: str
    description: str
    scale_key: str
    calculation: str
    groups: tuple[GroupSpec, ...]


@dataclass(frozen=True)
class RoleSpec:
    """Requirements are (competency code, required level, weight %, minimum level or None)."""

    name: str
    family: str
    threshold: float
    description: str
    requirements: tuple[tuple[str, float, float, float | None], ...]


C, G = CompetencySpec, GroupSpec

PRODUCT_AND_DATA = FrameworkSpec(
    "Product & Data", "Product management and analytics, from first query to roadmap.",
    "four_point_rubric", "highest", (
        G("PD.PRD", "Product management", "Deciding what to build and why.", (
            C("PD.PRD.RDM", "Roadmapping", "Turns strategy into a sequenced, outcome-based plan.", (
                "Lists features without linking them to goals or dates.",
                "Maintains a quarterly roadmap tied to team objectives and shares it monthly.",
                "Builds outcome-based roadmaps with explicit bets, and revises them from data.",
                "Sets the roadmap practice for several teams; leaders reuse the format.")),
            C("PD.PRD.DSC", "Product discovery", "Finds problems worth solving with users.", (
                "Relies on requests from sales or support without talking to users.",
                "Runs five or more user interviews per cycle and writes up insights.",
                "Tests riskiest assumptions with prototypes before committing engineers.",
                "Coaches other PMs on continuous discovery; teams adopt the interview guide.")),
            C("PD.PRD.PRI", "Prioritisation", "Chooses what not to do, with reasons.", (
                "Says yes to most requests; the backlog grows without order.",
                "Scores the backlog with a shared model (RICE or similar) and explains cuts.",
                "Balances debt, growth and risk across a quarter and defends the trade-offs.",
                "Aligns priorities across teams; portfolio reviews follow the framework.")),
            C("PD.PRD.REQ", "Requirements and user stories", "Writes work engineers can build.", (
                "Stories lack acceptance criteria; engineers return with basic questions.",
                "Writes stories with clear acceptance criteria and edge cases.",
                "Slices epics into thin vertical releases that ship value each sprint.",
                "Defines the team's story standard; review rework drops measurably.")),
            C("PD.PRD.LCH", "Launch and go-to-market", "Gets shipped work into users' hands.", (
                "Ships features without telling support, sales or users.",
                "Runs a launch checklist with release notes and support briefings.",
                "Plans staged rollouts with success metrics and a rollback plan.",
                "Orchestrates multi-team launches; adoption targets are met repeatedly.")),
        )),
        G("PD.ANL", "Analytics", "Turning data into decisions.", (
            C("PD.ANL.SQL", "SQL querying", "Retrieves and shapes data with SQL.", (
                "Edits existing queries but cannot write a join from scratch.",
                "Writes joins, aggregates and filters that return correct, checked results.",
                "Uses window functions and CTEs, and tunes slow queries with the plan.",
                "Reviews others' SQL, sets conventions and teaches the SQL clinic."),
                badge_level=3),
            C("PD.ANL.VIS", "Data visualisation", "Shows data so people can act on it.", (
                "Pastes default charts with unlabelled axes into slides.",
                "Builds clear dashboards with the right chart type and labelled units.",
                "Designs dashboards around decisions, with drill-downs and annotations.",
                "Owns the visual style guide; stakeholders use the dashboards unprompted."),
                badge_level=3),
            C("PD.ANL.MOD", "Domain modelling", "Models business entities as data.", (
                "Works from raw tables without knowing how entities relate.",
                "Documents the main entities, keys and grain of the tables used.",
                "Designs dimensional models that answer new questions without rework.",
                "Leads modelling reviews; the shared model is the source of truth.")),
            C("PD.ANL.ETL", "ETL and data pipelines", "Moves and cleans data reliably.", (
                "Copies data by hand between spreadsheets.",
                "Schedules a pipeline with basic checks for missing and duplicate rows.",
                "Builds tested, incremental pipelines with alerting on failures.",
                "Designs the pipeline platform; other analysts build on its patterns.")),
            C("PD.ANL.EXP", "Experimentation", "Learns from controlled experiments.", (
                "Compares before/after numbers and calls the change a success.",
                "Sets up an A/B test with a primary metric and a fixed sample size.",
                "Designs experiments with guardrail metrics and reads results correctly.",
                "Runs the experimentation review; bad tests are caught before launch.")),
            C("PD.ANL.STA", "Statistical reasoning", "Reasons soundly about uncertainty.", (
                "Reports averages without spread or sample size.",
                "Reports confidence intervals and flags small samples.",
                "Chooses suitable tests and explains limits of causal claims.",
                "Is the go-to reviewer for statistical claims in business reviews.")),
        )),
        G("PD.STK", "Stakeholder management", "Working with people who shape outcomes.", (
            C("PD.STK.ALN", "Stakeholder alignment", "Keeps the right people agreeing.", (
                "Surprises stakeholders with decisions they learn about late.",
                "Keeps a stakeholder map and holds regular check-ins with each group.",
                "Resolves conflicting asks before planning, with decisions written down.",
                "Aligns senior leaders across functions on contested priorities."),
                badge_level=2),
            C("PD.STK.COM", "Executive communication", "Says what matters, briefly.", (
                "Presents detail first; the ask is unclear.",
                "Writes a one-page update with the decision needed up front.",
                "Adapts the message to the audience and handles challenge calmly.",
                "Briefs the executive team; their decisions follow the recommendation.")),
            C("PD.STK.NEG", "Negotiation and trade-offs", "Reaches agreements that hold.", (
                "Concedes scope or dates without asking for anything in return.",
                "Negotiates scope against dates with options on the table.",
                "Finds trades that leave both sides better off and documents them.",
                "Negotiates cross-company commitments that survive reorganisations.")),
        )),
    ))

CUSTOMER_AND_DELIVERY = FrameworkSpec(
    "Customer & Delivery", "Serving customers and delivering projects well.",
    "developing_proficient_advanced", "decaying_average(0.65)", (
        G("CD.CUS", "Customer care", "Understanding and keeping customers.", (
            C("CD.CUS.CPT", "Client partnership", "Acts as a trusted partner to clients.", (
                "Responds to client requests as they come, without a shared plan.",
                "Holds quarterly reviews with each client and tracks agreed goals.",
                "Shapes the client's roadmap; the client asks for advice before deciding.")),
            C("CD.CUS.NDS", "Needs discovery", "Finds what customers actually need.", (
                "Takes the first request at face value.",
                "Asks open questions and confirms the underlying need in writing.",
                "Spots unstated needs and turns them into expansion opportunities.")),
            C("CD.CUS.ESC", "Escalation handling", "Handles unhappy customers well.", (
                "Passes angry customers on without context.",
                "De-escalates calls, sets a clear next step and follows up on time.",
                "Owns major escalations end to end and restores the relationship.")),
            C("CD.CUS.CAS", "Case resolution", "Solves support cases quickly and right.", (
                "Needs help to resolve routine cases; reopen rate is high.",
                "Resolves routine cases within target with a low reopen rate.",
                "Resolves complex cases first time and writes fixes others reuse."),
                badge_level=2),
            C("CD.CUS.RET", "Renewal and retention", "Keeps customers renewing.", (
                "Learns about churn risk at renewal time.",
                "Tracks health scores and acts on accounts flagged at risk.",
                "Runs retention plays that lift renewal rates across a portfolio.")),
        )),
        G("CD.DEL", "Delivery practice", "Delivering work on time and to standard.", (
            C("CD.DEL.TDL", "Technical delivery", "Delivers working solutions to clients.", (
                "Delivers parts of a solution with close supervision.",
                "Delivers complete solutions to spec, on time, with few defects.",
                "Leads complex multi-team deliveries and unblocks others."),
                badge_level=2),
            C("CD.DEL.PLN", "Delivery planning", "Plans work so it finishes as promised.", (
                "Works task by task without an overall plan.",
                "Keeps a realistic plan with milestones, owners and buffers.",
                "Plans programmes of several projects and rebalances them as things change.")),
            C("CD.DEL.RSK", "Risk and issue management", "Sees trouble early and acts.", (
                "Raises issues only once deadlines slip.",
                "Keeps a risk log with owners and reviews it weekly.",
                "Anticipates systemic risks and puts mitigations in place before kickoff.")),
            C("CD.DEL.TRB", "Technical troubleshooting", "Finds and fixes faults methodically.", (
                "Tries fixes at random and escalates quickly.",
                "Reproduces the fault, isolates the cause and documents the fix.",
                "Diagnoses cross-system faults and improves monitoring to catch them.")),
        )),
        G("CD.PPL", "People leadership", "Growing and guiding a team.", (
            C("CD.PPL.LDR", "Leadership", "Sets direction and gets the team behind it.", (
                "Leads tasks but leaves direction to others.",
                "Sets clear goals for a small team and holds regular one-to-ones.",
                "Leads through change; the team's engagement and delivery rise.")),
            C("CD.PPL.COA", "Coaching", "Helps others improve.", (
                "Gives feedback only when asked.",
                "Gives specific, timely feedback and agrees development actions.",
                "Coaches several people into bigger roles.")),
        )),
        G("CD.IMP", "Improvement", "Making the work better over time.", (
            C("CD.IMP.CIM", "Continuous improvement", "Improves how the team works.", (
                "Joins retrospectives but rarely follows up on actions.",
                "Runs retrospectives and closes the improvement actions agreed.",
                "Leads improvement programmes with measured gains in cycle time or quality."),
                badge_level=3),
            C("CD.IMP.RCA", "Root-cause analysis", "Fixes causes, not symptoms.", (
                "Fixes the immediate symptom and moves on.",
                "Runs a five-whys analysis after incidents and records the cause.",
                "Leads blameless post-incident reviews that prevent repeat incidents.")),
            C("CD.IMP.KNW", "Knowledge sharing", "Makes what one knows useful to others.", (
                "Keeps solutions in personal notes.",
                "Writes knowledge-base articles for recurring questions.",
                "Curates the knowledge base; deflection of repeat tickets rises.")),
        )),
    ))

FRAMEWORKS = (PRODUCT_AND_DATA, CUSTOMER_AND_DELIVERY)

ROLES = (
    RoleSpec("Data Analyst", "Analytics", 0.8, "Answers business questions with data.", (
        ("PD.ANL.SQL", 3, 30, 2), ("PD.ANL.VIS", 2, 20, None), ("PD.ANL.MOD", 2, 15, None),
        ("PD.ANL.ETL", 2, 15, None), ("PD.ANL.STA", 2, 10, None), ("PD.STK.ALN", 2, 10, None))),
    RoleSpec("Senior Data Analyst", "Analytics", 0.8,
             "Owns an analytics domain and reviews others' work.", (
        ("PD.ANL.SQL", 4, 25, 3), ("PD.ANL.VIS", 3, 20, 2), ("PD.ANL.MOD", 3, 20, 2),
        ("PD.ANL.ETL", 3, 10, None), ("PD.ANL.EXP", 3, 10, None), ("PD.STK.COM", 3, 15, None))),
    RoleSpec("Product Manager I", "Product", 0.75, "Owns a feature area within a product.", (
        ("PD.PRD.RDM", 2, 20, None), ("PD.PRD.DSC", 2, 20, None), ("PD.PRD.PRI", 2, 15, None),
        ("PD.PRD.REQ", 3, 15, 2), ("PD.STK.ALN", 2, 15, None), ("PD.ANL.SQL", 2, 15, None))),
    RoleSpec("Product Manager II", "Product", 0.8, "Owns a product and its roadmap.", (
        ("PD.PRD.RDM", 3, 25, 2), ("PD.PRD.PRI", 3, 15, None), ("PD.ANL.EXP", 3, 15, None),
        ("PD.STK.ALN", 3, 20, 2), ("PD.STK.COM", 3, 15, None), ("PD.PRD.LCH", 3, 10, None))),
    RoleSpec("Senior Product Manager", "Product", 0.85, "Leads a product line across teams.", (
        ("PD.PRD.RDM", 4, 25, 3), ("PD.PRD.PRI", 4, 20, 3), ("PD.STK.NEG", 3, 15, None),
        ("PD.STK.COM", 4, 20, 3), ("PD.ANL.EXP", 3, 10, None), ("PD.PRD.DSC", 3, 10, None))),
    RoleSpec("Support Representative", "Customer", 0.75, "Resolves customer support cases.", (
        ("CD.CUS.CAS", 2, 30, 1), ("CD.CUS.ESC", 2, 20, None), ("CD.CUS.NDS", 1, 15, None),
        ("CD.DEL.TRB", 2, 20, None), ("CD.IMP.KNW", 1, 15, None))),
    RoleSpec("Customer Success Manager", "Customer", 0.8,
             "Keeps a portfolio of customers successful and renewing.", (
        ("CD.CUS.CPT", 2, 25, 2), ("CD.CUS.RET", 2, 20, None), ("CD.CUS.NDS", 2, 20, None),
        ("CD.CUS.ESC", 2, 15, None), ("CD.CUS.CAS", 2, 10, None), ("CD.IMP.KNW", 2, 10, None))),
    RoleSpec("Delivery Consultant", "Delivery", 0.8, "Delivers client projects.", (
        ("CD.DEL.TDL", 2, 30, None), ("CD.DEL.PLN", 2, 20, None), ("CD.DEL.RSK", 2, 20, None),
        ("CD.CUS.CPT", 2, 15, None), ("CD.IMP.RCA", 1, 15, None))),
    RoleSpec("Delivery Lead", "Delivery", 0.85,
             "Leads client delivery teams (the 25/35/20/20 matrix).", (
        ("CD.CUS.CPT", 3, 25, 2), ("CD.DEL.TDL", 3, 35, 2), ("CD.PPL.LDR", 2, 20, 1),
        ("CD.IMP.CIM", 2, 20, None))),
)

TRANSITIONS = (
    ("Product Manager I", "Product Manager II", "upward"),
    ("Product Manager II", "Senior Product Manager", "upward"),
    ("Data Analyst", "Senior Data Analyst", "upward"),
    ("Support Representative", "Customer Success Manager", "upward"),
    ("Delivery Consultant", "Delivery Lead", "upward"),
    ("Data Analyst", "Product Manager I", "lateral"),
    ("Support Representative", "Data Analyst", "lateral"),
    ("Senior Data Analyst", "Product Manager II", "lateral"),
    ("Customer Success Manager", "Delivery Consultant", "lateral"),
)
