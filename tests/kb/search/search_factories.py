"""Test data for the search contract suite, written in our own words (not from shared data)."""

from __future__ import annotations

from datetime import date
from typing import Any

from kb.models import (
    Clause,
    DocumentType,
    GlossaryTerm,
    Interpretation,
    InterpretationKind,
    Policy,
    Provenance,
    QAPair,
    QAStatus,
    Validity,
)
from kb.search.base import BaseSearchBackend, IndexKind
from kb.search.documents import (
    GlossaryDocument,
    PolicyDocument,
    QADocument,
    glossary_document,
    policy_document,
    qa_document,
)


def make_policy(pid: int, title: str, text: str = "", **fields: Any) -> Policy:
    """A stored policy (with id) with sensible defaults."""
    fields.setdefault("validity", Validity.VALID)
    fields.setdefault("publish_date", date(2020, 1, 1))
    return Policy(
        id=pid,
        provenance=Provenance(source=fields.pop("source", "test"), source_id=f"p{pid}"),
        title=title,
        text=text,
        **fields,
    )


def clauses_of(*texts: str) -> list[Clause]:
    return [Clause(number=i, label=f"第{i}条", text=t) for i, t in enumerate(texts, start=1)]


SOCIAL_INSURANCE_CLAUSES = (
    "第1条 为规范本市社会保险费征缴工作，保障参保人员合法权益，制定本办法。",
    "第2条 用人单位应当自用工之日起三十日内为职工办理社会保险登记。",
    "第3条 灵活就业人员可以按月或者按季度缴纳基本养老保险费。",
)

INTERPRETATION = Interpretation(
    id=900,
    provenance=Provenance(source="test", source_id="i900", url="https://example.gov.cn/jd/900.html"),
    title="一图读懂住房公积金提取新规",
    kind=InterpretationKind.GRAPHIC,
    publish_date=date(2021, 6, 1),
    text="本次调整明确了租房提取的额度，并对异地缴存职工的办理渠道作出说明。",
)


def policy_corpus() -> list[tuple[Policy, list[Interpretation]]]:
    """Policies covering every feature the contract suite checks."""
    return [
        (
            make_policy(
                1,
                "关于进一步规范社会保险费征缴工作的通知",
                "\n".join(SOCIAL_INSURANCE_CLAUSES),
                doc_number="京人社发〔2019〕12号",
                issuing_bodies=["北京市人力资源和社会保障局"],
                subject_category=["劳动、人事、监察", "社会保障"],
                document_type=DocumentType.NORMATIVE_DOCUMENT,
                publish_date=date(2019, 3, 15),
                region="北京市",
                audiences=["企业", "个人"],
                keywords=["社保", "征缴", "五险一金"],
                clauses=clauses_of(*SOCIAL_INSURANCE_CLAUSES),
            ),
            [],
        ),
        (
            make_policy(
                2,
                "住房公积金管理办法",
                "职工可以在购买、建造自住住房时提取住房公积金账户内的存储余额。",
                issuing_bodies=["北京住房公积金管理中心"],
                document_type=DocumentType.GOVERNMENT_RULE,
                publish_date=date(2021, 5, 20),
                region="北京市",
                audiences=["个人"],
                subject_category=["城乡建设"],
            ),
            [INTERPRETATION],
        ),
        (
            make_policy(
                3,
                "关于促进中小企业发展的若干措施",
                "国办发〔2018〕39号\n各省、自治区、直辖市人民政府：支持中小企业开展技术改造，对符合条件的项目给予资金补助。",
                issuing_bodies=["国务院办公厅"],
                doc_number="国办发〔2018〕39号",
                document_type=DocumentType.NORMATIVE_DOCUMENT,
                publish_date=date(2018, 8, 1),
                region="全国",
                audiences=["企业"],
                subject_category=["工业、交通", "中小企业"],
                source="govcn",
            ),
            [],
        ),
        (
            make_policy(
                4,
                "关于鼓励大众创业的实施意见",
                "推动创新资源向创业者开放，支持高校毕业生就业创业。",
                issuing_bodies=["北京市人民政府"],
                document_type=DocumentType.NORMATIVE_DOCUMENT,
                publish_date=date(2022, 4, 2),
                region="北京市",
                audiences=["个人", "企业"],
            ),
            [],
        ),
        (
            make_policy(
                5,
                "关于加强科技创新工作的通知",
                "鼓励企业加大研发投入，完善创新激励机制，营造良好创业环境。",
                issuing_bodies=["北京市科学技术委员会"],
                document_type=DocumentType.OTHER,
                publish_date=date(2023, 9, 9),
                region="北京市",
                audiences=["企业"],
            ),
            [],
        ),
        # Two policies with the same wording: only validity differs.
        (
            make_policy(
                6,
                "城镇职工医疗保险报销规定",
                "参保职工在定点医院发生的住院医疗费用按比例报销。",
                issuing_bodies=["北京市医疗保障局"],
                validity=Validity.REPEALED,
                publish_date=date(2020, 7, 1),
                region="北京市",
                document_type=DocumentType.GOVERNMENT_RULE,
            ),
            [],
        ),
        (
            make_policy(
                7,
                "城镇职工医疗保险报销规定",
                "参保职工在定点医院发生的住院医疗费用按比例报销。",
                issuing_bodies=["北京市医疗保障局"],
                validity=Validity.VALID,
                publish_date=date(2020, 7, 1),
                region="北京市",
                document_type=DocumentType.GOVERNMENT_RULE,
            ),
            [],
        ),
        # Original text in traditional characters, full-width forms and markup-like characters.
        (
            make_policy(
                8,
                "關於社會保險待遇調整的說明",
                "自２０２４年起，退休人員基本養老金<按>規定調整 & 發放。",
                issuing_bodies=["河北省人力资源和社会保障厅"],
                publish_date=date(2024, 1, 10),
                region="河北省",
                document_type=DocumentType.OTHER,
                source="hebei",
            ),
            [],
        ),
    ]


def policy_documents() -> list[PolicyDocument]:
    return [policy_document(p, interps) for p, interps in policy_corpus()]


def identical_policies(first_id: int, count: int) -> list[PolicyDocument]:
    """Many policies with the same text and date: only the id can order them."""
    return [
        policy_document(
            make_policy(
                i,
                f"关于开展安全生产检查的通知（第{i}批）",
                "开展安全生产大检查，排查隐患。",
                publish_date=date(2021, 1, 1),
                issuing_bodies=["应急管理局"],
            )
        )
        for i in range(first_id, first_id + count)
    ]


def qa_documents() -> list[QADocument]:
    pairs = [
        QAPair(
            id=1,
            provenance=Provenance(source="test", source_id="q1"),
            question="灵活就业人员怎么缴纳养老保险？",
            alternative_questions=["自由职业者如何交社保"],
            answer="可以在户籍所在地社保经办机构按月缴纳。",
            policy_id=1,
            clause_label="第3条",
            department="市人力社保局",
        ),
        QAPair(
            id=2,
            provenance=Provenance(source="test", source_id="q2"),
            question="租房可以提取公积金吗？",
            answer="符合条件的职工可以申请租房提取住房公积金。",
            policy_id=2,
            department="公积金中心",
        ),
        QAPair(
            id=3,
            provenance=Provenance(source="test", source_id="q3"),
            question="公积金贷款额度是多少？",
            answer="贷款额度与缴存年限和账户余额有关，养老保险缴费不影响额度。",
            department="公积金中心",
        ),
        QAPair(
            id=4,
            provenance=Provenance(source="test", source_id="q4"),
            question="旧版养老保险缴纳问答",
            answer="此条已停用。",
            status=QAStatus.RETIRED,
        ),
    ]
    return [
        qa_document(p, policy_title="关于进一步规范社会保险费征缴工作的通知" if p.policy_id == 1 else None)
        for p in pairs
    ]


def glossary_documents() -> list[GlossaryDocument]:
    terms = [
        GlossaryTerm(
            term="社会保险", aliases=["社保"], definition="国家为劳动者提供的养老、医疗、失业等保障制度。"
        ),
        GlossaryTerm(term="住房公积金", aliases=["公积金"], definition="职工及其单位缴存的长期住房储金。"),
        GlossaryTerm(
            term="双创", aliases=["大众创业万众创新"], definition="鼓励大众创业、万众创新的政策提法。"
        ),
    ]
    return [glossary_document(t) for t in terms]


def load_corpus(backend: BaseSearchBackend) -> None:
    for kind, docs in (
        (IndexKind.POLICIES, policy_documents()),
        (IndexKind.QA, qa_documents()),
        (IndexKind.GLOSSARY, glossary_documents()),
    ):
        index = backend.index(kind)
        report = index.bulk_index(docs)
        assert report.ok and report.indexed == len(docs), report
        index.refresh()
