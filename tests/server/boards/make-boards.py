#!/usr/bin/env python3
"""Writes fake job boards in the exact shapes the vendors document.

    make-boards.py OUT_DIR [--greenhouse N] [--lever N] [--ashby N] [--personio N]
                   [--apply-base URL] [--seed S]

OUT_DIR gets greenhouse/<board>/jobs.json (GET /v1/boards/<board>/jobs?content=true)
and greenhouse/<board>/details.json (each posting as GET /v1/boards/<board>/jobs/<id>
?questions=true&pay_transparency=true answers it, by id), lever/<board>.json
(GET /v0/postings/<board>?mode=json), ashby/<board>.json (GET /posting-api/job-board/
<board>?includeCompensation=true) and personio/<board>.xml (GET /xml). The board is
"acme" everywhere. The first posting of each board is written by hand (the tests check
its fields one by one); the others are made from the lists below, deterministically.

With --apply-base the postings' apply URLs point at that site (tools/run-demo points
them at its demo site of application forms) instead of the vendors' hosts.
"""
import argparse
import datetime
import html
import json
import os
import random
import uuid
from xml.sax.saxutils import escape as xml_escape

TITLES = [
    ("Senior Backend Engineer", "Engineering"), ("Backend Engineer, Payments", "Engineering"),
    ("Staff Site Reliability Engineer", "Engineering"), ("Frontend Engineer (React)", "Engineering"),
    ("Mobile Engineer, iOS", "Engineering"), ("Data Engineer", "Data"), ("Senior Data Scientist", "Data"),
    ("Machine Learning Engineer, Ranking", "Data"), ("Product Designer", "Design"),
    ("Senior UX Researcher", "Design"), ("Product Manager, Growth", "Product"),
    ("Technical Writer", "Product"), ("Security Engineer", "Engineering"),
    ("Engineering Manager, Platform", "Engineering"), ("Account Executive, Mid-Market", "Sales"),
    ("Sales Development Representative", "Sales"), ("Customer Success Manager", "Customer Success"),
    ("Support Engineer", "Customer Success"), ("Financial Controller", "Finance"),
    ("Recruiter, Technical", "People"), ("People Partner", "People"), ("Office Manager", "Operations"),
    ("Marketing Manager, Lifecycle", "Marketing"), ("Content Marketing Lead", "Marketing"),
    ("Working Student, Data Analytics", "Data"), ("Software Engineering Intern", "Engineering"),
    ("QA Engineer", "Engineering"), ("DevOps Engineer", "Engineering"), ("Solutions Architect", "Sales"),
    ("Legal Counsel, Privacy", "Legal"),
]
PLACES = [
    "Berlin, Germany", "Munich, Germany", "Hamburg, Germany", "London, United Kingdom",
    "Amsterdam, Netherlands", "Paris, France", "Lisbon, Portugal", "Madrid, Spain",
    "New York, NY", "San Francisco, CA", "Austin, TX", "Toronto, Canada", "Remote (EU)",
    "Remote (US)", "Zürich, Switzerland", "Kraków, Poland",
]
CURRENCY = {"Germany": "EUR", "Netherlands": "EUR", "France": "EUR", "Portugal": "EUR", "Spain": "EUR",
            "United Kingdom": "GBP", "NY": "USD", "CA": "USD", "TX": "USD", "Canada": "CAD",
            "(EU)": "EUR", "(US)": "USD", "Switzerland": "CHF", "Poland": "PLN"}
STACK = ["Go", "PostgreSQL", "Kubernetes", "Rust", "Python", "TypeScript", "React", "Kafka", "Terraform",
         "gRPC", "Swift", "Kotlin", "dbt", "Snowflake", "Figma", "Salesforce", "SQL", "AWS", "GCP"]
INTROS = [
    "Acme builds the payment rails that {n} small businesses across Europe run on. We are a team of "
    "{m} people, profitable since 2023, and we ship every day.",
    "At Acme you will work on software that moves money for bakeries, bike shops and dentists, "
    "the businesses that keep a town going. Our customers notice when we are down; we rarely are.",
    "We are looking for someone who likes to own a problem from the first sketch to the last "
    "alert. You will join a team of {m} that runs what it builds.",
]
DOING = [
    "Design, build and run services that handle {n} requests a day", "Own features end to end, "
    "from the spec to the on-call rota", "Pair with designers and product managers on what to build next",
    "Make our systems faster, cheaper and easier to change", "Mentor others and review their work with care",
    "Write the documents that let the next person understand why", "Talk to customers every week",
    "Improve how we test, deploy and observe our systems",
]
HAVING = [
    "{y}+ years of experience with {s1} or {s2}", "Experience running production systems at scale",
    "Clear writing in English (German is a plus, never a must)", "Curiosity about how money moves",
    "A habit of measuring before optimising", "Comfort with ambiguity and a bias to ship",
    "Experience with {s1} in production", "Good judgement about when not to build something",
]
BENEFITS = [
    "30 days of paid holiday, plus your birthday", "A learning budget of EUR 2,000 a year",
    "Four weeks a year of working from anywhere", "Parental leave of 20 weeks at full pay",
    "A Deutschlandticket or a bike lease", "Stock options for everyone",
]


def rfc3339(dt, offset_hours=0):
    tz = datetime.timezone(datetime.timedelta(hours=offset_hours))
    return dt.astimezone(tz).isoformat(timespec="seconds")


class Maker:
    def __init__(self, seed, apply_base):
        self.rnd = random.Random(seed)
        self.apply_base = apply_base
        self.now = datetime.datetime(2026, 11, 28, 9, 0, tzinfo=datetime.timezone.utc)

    def places(self):
        count = self.rnd.choice([1, 1, 1, 2, 2, 3])
        return self.rnd.sample(PLACES, count)

    def salary(self, place):
        currency = next((c for k, c in CURRENCY.items() if place.endswith(k)), "EUR")
        low = self.rnd.randrange(45, 140) * 1000
        return currency, low, low + self.rnd.randrange(10, 40) * 1000

    def description_html(self, title):
        r = self.rnd
        s1, s2 = r.sample(STACK, 2)
        intro = r.choice(INTROS).format(n=f"{r.randrange(20, 90)},000", m=r.randrange(40, 400))
        doing = [d.format(n=f"{r.randrange(2, 90)} million") for d in r.sample(DOING, 4)]
        having = [h.format(y=r.randrange(2, 8), s1=s1, s2=s2) for h in r.sample(HAVING, 4)]
        benefits = r.sample(BENEFITS, 3)
        li = lambda items: "".join(f"<li>{html.escape(i)}</li>" for i in items)
        return (f"<p><strong>About the role</strong></p><p>{html.escape(intro)}</p>"
                f"<p>As our {html.escape(title)}, you will&nbsp;work with {s1} and {s2}.</p>"
                f"<h3>What you will do</h3><ul>{li(doing)}</ul>"
                f"<h3>What you bring</h3><ul>{li(having)}</ul>"
                f"<h3>What we offer</h3><ul>{li(benefits)}</ul>"
                "<p><em>Acme is an equal opportunity employer. We welcome applications from "
                "everyone, whatever their background.</em></p>")

    def postings(self, count):
        """(title, department, places, posted, employment) for count postings; every
        seventh repeats the title of an earlier one for other places within days (a
        likely duplicate, as boards really list one job per city)."""
        made = []
        for i in range(count):
            if i % 7 == 6 and made:
                title, dept, _, posted, employment = made[-3]
                places = [self.rnd.choice(PLACES)]
                posted = posted + datetime.timedelta(days=self.rnd.randrange(0, 5))
            else:
                title, dept = self.rnd.choice(TITLES)
                places = self.places()
                posted = self.now - datetime.timedelta(days=self.rnd.randrange(0, 120),
                                                       minutes=self.rnd.randrange(0, 1440))
                if "Intern" in title or "Working Student" in title:
                    employment = "Intern"
                else:
                    employment = self.rnd.choice(["Full-time"] * 6 + ["Part-time", "Contract"])
            made.append((title, dept, places, min(posted, self.now), employment))
        return made

    def apply_url(self, vendor_url, kind):
        """The vendor's URL, or with --apply-base the demo site's form of that kind
        (its "happy" case: a form the demo profile can fill)."""
        if not self.apply_base:
            return vendor_url
        return f"{self.apply_base}/{kind}/happy"


GREENHOUSE_QUESTIONS = [
    {"required": True, "label": "First Name", "fields": [{"name": "first_name", "type": "input_text", "values": []}]},
    {"required": True, "label": "Last Name", "fields": [{"name": "last_name", "type": "input_text", "values": []}]},
    {"required": True, "label": "Email", "fields": [{"name": "email", "type": "input_text", "values": []}]},
    {"required": False, "label": "Phone", "fields": [{"name": "phone", "type": "input_text", "values": []}]},
    {"required": True, "label": "Resume/CV", "fields": [{"name": "resume", "type": "input_file", "values": []},
                                                        {"name": "resume_text", "type": "textarea", "values": []}]},
    {"required": False, "label": "Cover Letter", "fields": [{"name": "cover_letter", "type": "input_file", "values": []},
                                                            {"name": "cover_letter_text", "type": "textarea", "values": []}]},
    {"required": False, "label": "LinkedIn Profile", "description": None,
     "fields": [{"name": "question_4012345001", "type": "input_text", "values": []}]},
    {"required": True, "label": "Are you legally authorized to work in the country of the role?",
     "description": "<p>We can sponsor visas for some roles; say so below.</p>",
     "fields": [{"name": "question_4012345002", "type": "multi_value_single_select",
                 "values": [{"label": "Yes", "value": 1}, {"label": "No", "value": 0}]}]},
    {"required": True, "label": "Which of these have you run in production?",
     "fields": [{"name": "question_4012345003[]", "type": "multi_value_multi_select",
                 "values": [{"label": "PostgreSQL", "value": 40123451}, {"label": "Kafka", "value": 40123452},
                            {"label": "Kubernetes", "value": 40123453}]}]},
    {"required": False, "label": "How did you hear about this job?",
     "fields": [{"name": "question_4012345004", "type": "input_text", "values": []}]},
]
GREENHOUSE_EEOC = [{
    "type": "eeoc",
    "description": "<p>PUBLIC BURDEN STATEMENT: This survey should take about 5 minutes to complete.</p>",
    "questions": [
        {"required": False, "label": "Gender", "description": None, "fields": [
            {"name": "gender", "type": "multi_value_single_select",
             "values": [{"label": "Male", "value": 1}, {"label": "Female", "value": 2},
                        {"label": "Decline To Self Identify", "value": 3}]}]},
        {"required": False, "label": "Are you Hispanic/Latino?", "description": None, "fields": [
            {"name": "hispanic_ethnicity", "type": "multi_value_single_select",
             "values": [{"label": "Yes", "value": "Yes"}, {"label": "No", "value": "No"},
                        {"label": "Decline To Self Identify", "value": "Decline To Self Identify"}]}]},
        {"required": False, "label": "Veteran Status", "description": None, "fields": [
            {"name": "veteran_status", "type": "multi_value_single_select",
             "values": [{"label": "I am not a protected veteran", "value": 1},
                        {"label": "I identify as one or more of the classifications of protected veteran", "value": 2},
                        {"label": "I don't wish to answer", "value": 3}]}]},
        {"required": False, "label": "Disability Status", "description": None, "fields": [
            {"name": "disability_status", "type": "multi_value_single_select",
             "values": [{"label": "Yes, I have a disability, or have had one in the past", "value": 1},
                        {"label": "No, I do not have a disability and have not had one in the past", "value": 2},
                        {"label": "I do not want to answer", "value": 3}]}]},
    ],
}]


def greenhouse(maker, count, out):
    jobs, details = [], {}
    base_id = 4012345
    made = maker.postings(count)
    for i, (title, dept, places, posted, employment) in enumerate(made):
        job_id = base_id + i * 7
        content_html = maker.description_html(title)
        location = "; ".join(places)
        updated = posted + datetime.timedelta(hours=maker.rnd.randrange(0, 48))
        if i == 0:
            # Written by hand: the tests check these fields one by one.
            title, dept, location = "Senior Backend Engineer", "Engineering", "Berlin, Germany; Remote (EU)"
            posted = datetime.datetime(2026, 11, 20, 9, 0, tzinfo=datetime.timezone.utc)
            updated = datetime.datetime(2026, 11, 21, 14, 30, tzinfo=datetime.timezone.utc)
            employment = "Full-time"
            content_html = ("<p>We build the payment rails that 40,000 small businesses run on.&nbsp;"
                            "Join the team that keeps them up.</p>"
                            "<script>track('view')</script><style>p{color:red}</style>"
                            "<h3>What you will do</h3>"
                            "<ul><li>Run Go services on <b>PostgreSQL</b></li>"
                            "<li>Be on call one week in six<ul><li>with a second person, always</li></ul></li></ul>"
                            "<p>Salary: EUR 70,000&ndash;90,000<br>plus stock options</p>"
                            "<ol><li>A call with a recruiter</li><li>A paid take-home task</li></ol>")
        url = f"https://boards.greenhouse.io/acme/jobs/{job_id}"
        job = {
            "absolute_url": maker.apply_url(url, "greenhouse"),
            "data_compliance": [{"type": "gdpr", "requires_consent": i % 3 == 0,
                                 "requires_processing_consent": False,
                                 "requires_retention_consent": i % 3 == 0, "retention_period": None,
                                 "demographic_data_consent_applies": False}],
            "internal_job_id": 3012345 + i,
            "location": {"name": location},
            "metadata": [{"id": 4036944008, "name": "Employment Type", "value": employment,
                          "value_type": "single_select"}],
            "id": job_id,
            "updated_at": rfc3339(updated, -5),
            "requisition_id": f"R-{1000 + i}",
            "title": title,
            "company_name": "Acme",
            "first_published": rfc3339(posted, -5),
            "language": "en",
            "content": html.escape(content_html),
            "departments": [{"id": 4002062008, "name": dept, "child_ids": [], "parent_id": None}],
            "offices": [{"id": 4001218000 + n, "name": p.split(",")[0], "location": p,
                         "child_ids": [], "parent_id": None} for n, p in enumerate(places)],
        }
        jobs.append(job)
        detail = dict(job)
        detail["questions"] = GREENHOUSE_QUESTIONS
        detail["location_questions"] = [] if i else [
            {"required": True, "label": "Location (City)", "fields": [
                {"name": "location", "type": "input_text", "values": []}]}]
        detail["compliance"] = GREENHOUSE_EEOC if i % 2 == 0 else []
        detail["demographic_questions"] = None if i else {
            "header": "Voluntary self-identification",
            "description": "<p>Answers are kept apart from your application.</p>",
            "questions": [{"id": 4012345100, "label": "How would you describe your gender identity?",
                           "required": False, "type": "multi_value_multi_select",
                           "answer_options": [{"id": 4012345101, "label": "Woman", "free_form": False},
                                              {"id": 4012345102, "label": "Man", "free_form": False},
                                              {"id": 4012345103, "label": "Non-binary", "free_form": False},
                                              {"id": 4012345104, "label": "I prefer to self-describe", "free_form": True}]}]}
        currency, low, high = maker.salary(places[0])
        if i == 0:
            currency, low, high = "EUR", 70000, 90000
        detail["pay_input_ranges"] = [] if i % 4 == 3 else [
            {"min_cents": low * 100, "max_cents": high * 100, "currency_type": currency,
             "title": "Annual base salary", "blurb": "<p>Your offer depends on experience.</p>"}]
        details[str(job_id)] = detail
    board = os.path.join(out, "greenhouse", "acme")
    os.makedirs(board, exist_ok=True)
    with open(os.path.join(board, "jobs.json"), "w", encoding="utf-8") as f:
        json.dump({"jobs": jobs, "meta": {"total": len(jobs)}}, f, ensure_ascii=False, indent=1)
    with open(os.path.join(board, "details.json"), "w", encoding="utf-8") as f:
        json.dump(details, f, ensure_ascii=False, separators=(",", ":"))


def lever(maker, count, out):
    postings = []
    for i, (title, dept, places, posted, employment) in enumerate(maker.postings(count)):
        pid = str(uuid.UUID(int=maker.rnd.getrandbits(128), version=4))
        workplace = "remote" if any(p.startswith("Remote") for p in places) else maker.rnd.choice(["onsite", "hybrid"])
        currency, low, high = maker.salary(places[0])
        description = maker.description_html(title)
        salary = {"currency": currency, "interval": "per-year-salary", "min": low, "max": high}
        if i == 0:
            pid, title, dept, places, workplace = ("5e6f7a8b-1c2d-4e3f-9a0b-1c2d3e4f5a6b", "Product Designer",
                                                   "Design", ["Amsterdam, Netherlands", "Remote (EU)"], "remote")
            posted = datetime.datetime(2026, 11, 18, 8, 30, tzinfo=datetime.timezone.utc)
            employment = "Full-time"
            salary = {"currency": "EUR", "interval": "per-year-salary", "min": 65000, "max": 80000}
            description = "<div><b>Design</b> the screens 40,000 shop owners use every morning.</div>"
        hosted = f"https://jobs.lever.co/acme/{pid}"
        lists = [{"text": "What you will do", "content": "<li>Own the design of our mobile app</li><li>Test ideas with customers every week</li>"},
                 {"text": "What you bring", "content": "<li>A portfolio of shipped work</li><li>Fluency in Figma</li>"}]
        postings.append({
            "additional": "<div>Acme is an equal opportunity employer.</div>",
            "additionalPlain": "Acme is an equal opportunity employer.",
            "categories": {"commitment": employment, "department": dept, "location": places[0],
                           "team": dept + " Team", "allLocations": places},
            "country": "NL" if i == 0 else "DE",
            "createdAt": int(posted.timestamp() * 1000),
            "description": description,
            "descriptionPlain": html.unescape(description),
            "hostedUrl": maker.apply_url(hosted, "lever") if maker.apply_base else hosted,
            "applyUrl": maker.apply_url(hosted + "/apply", "lever"),
            "id": pid,
            "lists": lists,
            "salaryRange": salary if i % 5 != 4 else None,
            "text": title,
            "workplaceType": workplace,
        })
        if postings[-1]["salaryRange"] is None:
            del postings[-1]["salaryRange"]
    os.makedirs(os.path.join(out, "lever"), exist_ok=True)
    with open(os.path.join(out, "lever", "acme.json"), "w", encoding="utf-8") as f:
        json.dump(postings, f, ensure_ascii=False, indent=1)


def ashby(maker, count, out):
    jobs = []
    kinds = {"Full-time": "FullTime", "Part-time": "PartTime", "Contract": "Contract", "Intern": "Intern"}
    for i, (title, dept, places, posted, employment) in enumerate(maker.postings(count)):
        jid = str(uuid.UUID(int=maker.rnd.getrandbits(128), version=4))
        remote = any(p.startswith("Remote") for p in places)
        currency, low, high = maker.salary(places[0])
        description = maker.description_html(title)
        listed = i % 11 != 10
        if i == 0:
            jid, title, dept, places, remote = ("0f1d2c3b-4a59-4687-9a0b-b1c2d3e4f5a6", "Data Engineer", "Data",
                                                ["London, United Kingdom", "Lisbon, Portugal"], False)
            posted = datetime.datetime(2026, 11, 25, 16, 21, 55, 393000, tzinfo=datetime.timezone.utc)
            employment, currency, low, high, listed = "Contract", "GBP", 600, 750, True
            description = "<p>Move our batch jobs to streams.</p><ul><li>dbt</li><li>Kafka</li></ul>"
        url = f"https://jobs.ashbyhq.com/acme/{jid}"
        interval = "1 DAY" if i == 0 else "1 YEAR"
        summary = f"{currency} {low:,} – {high:,}"
        jobs.append({
            "id": jid,
            "title": title,
            "department": dept,
            "team": dept,
            "employmentType": kinds[employment],
            "location": places[0],
            "secondaryLocations": [{"location": p, "address": {"addressLocality": p.split(",")[0]}} for p in places[1:]],
            "publishedAt": posted.isoformat(timespec="milliseconds"),
            "isListed": listed,
            "isRemote": remote,
            "workplaceType": "Remote" if remote else "OnSite",
            "address": {"postalAddress": {"addressLocality": places[0].split(",")[0],
                                          "addressCountry": places[0].split(",")[-1].strip()}},
            "jobUrl": maker.apply_url(url, "ashby") if maker.apply_base else url,
            "applyUrl": maker.apply_url(url + "/application", "ashby"),
            "descriptionHtml": description,
            "descriptionPlain": html.unescape(description),
            "shouldDisplayCompensationOnJobPostings": True,
            "compensation": {
                "compensationTierSummary": summary,
                "scrapeableCompensationSalarySummary": summary,
                "compensationTiers": [{"id": str(uuid.UUID(int=i + 1)), "tierSummary": summary, "title": "Base",
                                       "additionalInformation": None, "components": []}],
                "summaryComponents": [
                    {"id": str(uuid.UUID(int=i + 10000)), "summary": summary, "compensationType": "Salary",
                     "interval": interval, "currencyCode": currency, "minValue": low, "maxValue": high},
                    {"id": str(uuid.UUID(int=i + 20000)), "summary": "Offers Equity", "compensationType": "EquityPercentage",
                     "interval": "NONE", "currencyCode": None, "minValue": None, "maxValue": None}],
            },
        })
    os.makedirs(os.path.join(out, "ashby"), exist_ok=True)
    with open(os.path.join(out, "ashby", "acme.json"), "w", encoding="utf-8") as f:
        json.dump({"apiVersion": "1", "jobs": jobs}, f, ensure_ascii=False, indent=1)


def personio(maker, count, out):
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', "<workzag-jobs>"]
    for i, (title, dept, places, posted, employment) in enumerate(maker.postings(count)):
        pid = 1044731 + i * 3
        schedule = {"Part-time": "part-time"}.get(employment, "full-time")
        kind = {"Intern": "intern", "Contract": "freelance"}.get(employment, "permanent")
        description = maker.description_html(title)
        if i == 0:
            title, dept, places = "Werkstudent (m/w/d) Softwareentwicklung", "Engineering", ["München", "Remote"]
            posted = datetime.datetime(2026, 11, 2, 9, 14, 33, tzinfo=datetime.timezone.utc)
            schedule, kind = "part-time", "working_student"
            description = "<p>Du arbeitest 20 Stunden pro Woche mit uns an <strong>Rust</strong>.</p>"
        sections = [("Deine Aufgaben", description),
                    ("Dein Profil", "<ul><li>Studium der Informatik</li><li>Freude an sauberem Code</li></ul>")]
        lines.append("  <position>")
        lines.append(f"    <id>{pid}</id>")
        lines.append("    <subcompany>Acme GmbH</subcompany>")
        lines.append(f"    <office>{xml_escape(places[0])}</office>")
        if places[1:]:
            lines.append("    <additionalOffices>" + "".join(f"<office>{xml_escape(p)}</office>" for p in places[1:]) +
                         "</additionalOffices>")
        lines.append(f"    <department>{xml_escape(dept)}</department>")
        lines.append(f"    <recruitingCategory>{xml_escape(dept)}</recruitingCategory>")
        lines.append(f"    <name>{xml_escape(title)}</name>")
        lines.append("    <jobDescriptions>")
        for name, value in sections:
            lines.append(f"      <jobDescription><name>{xml_escape(name)}</name><value><![CDATA[{value}]]></value></jobDescription>")
        lines.append("    </jobDescriptions>")
        lines.append(f"    <employmentType>{kind}</employmentType>")
        lines.append("    <seniority>experienced</seniority>")
        lines.append(f"    <schedule>{schedule}</schedule>")
        lines.append("    <yearsOfExperience>2-5</yearsOfExperience>")
        lines.append("    <occupation>software_and_web_development</occupation>")
        lines.append("    <occupationCategory>it_software</occupationCategory>")
        lines.append(f"    <createdAt>{rfc3339(posted, 1)}</createdAt>")
        lines.append("  </position>")
    lines.append("</workzag-jobs>")
    os.makedirs(os.path.join(out, "personio"), exist_ok=True)
    with open(os.path.join(out, "personio", "acme.xml"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out")
    parser.add_argument("--greenhouse", type=int, default=220)
    parser.add_argument("--lever", type=int, default=40)
    parser.add_argument("--ashby", type=int, default=30)
    parser.add_argument("--personio", type=int, default=25)
    parser.add_argument("--apply-base")
    parser.add_argument("--seed", type=int, default=12)
    args = parser.parse_args()
    for name, make in (("greenhouse", greenhouse), ("lever", lever), ("ashby", ashby), ("personio", personio)):
        count = getattr(args, name)
        if count > 0:
            make(Maker(args.seed, args.apply_base), count, args.out)


if __name__ == "__main__":
    main()
