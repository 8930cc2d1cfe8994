"""Invented words for the demo force: places, people and phrases for summaries, evidence and rationales."""

import random

AREAS = (
    ("Stoke North", 14),
    ("Stoke South", 14),
    ("Newcastle", 11),
    ("Stafford", 10),
    ("East Staffs", 10),
    ("Cannock", 10),
    ("Tamworth", 9),
    ("Lichfield", 7),
    ("South Staffs", 8),
    ("Moorlands", 7),
)
SURNAMES = (
    "Ahmed",
    "Bailey",
    "Brennan",
    "Carter",
    "Chowdhury",
    "Davies",
    "Dlamini",
    "Evans",
    "Fletcher",
    "Garcia",
    "Hughes",
    "Iqbal",
    "Jackson",
    "Kaur",
    "Kowalski",
    "Lewis",
    "Mahmood",
    "Mensah",
    "Morris",
    "Novak",
    "Okafor",
    "Owen",
    "Patel",
    "Price",
    "Quinn",
    "Rahman",
    "Roberts",
    "Shah",
    "Singh",
    "Taylor",
    "Turner",
    "Walsh",
    "Ward",
    "Webb",
    "Williams",
    "Wilson",
    "Wright",
    "Young",
    "Zielinski",
    "Hall",
)
PLACES = (
    "a supermarket on the high street",
    "a retail park",
    "the bus station",
    "a terraced house",
    "a flat above a shop",
    "a pub car park",
    "the railway station",
    "a school gate",
    "a park footpath",
    "a petrol station",
    "a takeaway",
    "a GP surgery",
    "a block of flats",
    "a canal towpath",
    "a builders' yard",
    "a community centre",
    "a nightclub queue",
    "a hospital car park",
    "a corner shop",
    "a farm outbuilding",
)
TIMES = ("early morning", "mid-morning", "lunchtime", "mid-afternoon", "early evening", "late evening", "overnight")
ITEMS = (
    "a mobile phone",
    "a bicycle",
    "a set of power tools",
    "a handbag",
    "cash",
    "a laptop",
    "alcohol",
    "a basket of meat and cheese",
    "a catalytic converter",
    "a parcel",
    "jewellery",
    "a wallet",
    "fuel",
    "clothing",
)

SUBGROUP_SUMMARIES = {
    "Homicide": "Death of a man aged {adult_age} at {place}; enquiries ongoing.",
    "Death or Serious Injury Caused by Unlawful Driving": "Collision near {place} ({time}); pedestrian seriously hurt.",
    "Violence with Injury": "Victim punched and kicked at {place} ({time}); injuries to face and ribs.",
    "Violence without Injury": "Victim pushed and threatened at {place} ({time}); no visible injury.",
    "Stalking and Harassment": "Repeated unwanted messages and visits to the victim's home over {weeks} weeks.",
    "Rape": "Victim reports rape by a known male at {place}; ABE interview arranged.",
    "Other Sexual Offences": "Victim reports being touched sexually without consent at {place} ({time}).",
    "Robbery of Business Property": "Staff threatened and {item} taken from the till at {place}.",
    "Robbery of Personal Property": "{item_cap} taken from the victim by force at {place} ({time}).",
    "Residential Burglary": "Rear door forced at a house; {item} taken ({time}).",
    "Burglary Business and Community": "Break-in at {place}; {item} taken overnight.",
    "Vehicle Offences": "{item_cap} taken from a parked vehicle at {place}.",
    "Theft from the Person": "{item_cap} taken from the victim's pocket at {place}.",
    "Bicycle Theft": "Locked bicycle taken from {place} ({time}).",
    "Shoplifting": "{item_cap} taken from {place} without payment; seen on CCTV.",
    "Other Theft": "{item_cap} taken from {place} ({time}).",
    "Arson": "Fire deliberately started at {place} ({time}).",
    "Criminal Damage": "Window and door damaged at {place} ({time}).",
    "Public Order Offences": "Abusive and threatening behaviour towards staff at {place} ({time}).",
    "Trafficking of Drugs": "Suspected supply of class A drugs near {place}.",
    "Possession of Drugs": "Suspect found with a small quantity of drugs at {place}.",
    "Possession of Weapons Offences": "Suspect seen carrying a knife at {place} ({time}).",
    "Miscellaneous Crimes Against Society": "Offence against society reported at {place}.",
}

# Offences whose subgroup's summary would misdescribe them (a firearm is not "a knife").
CODE_SUMMARIES = {
    "8M": "Racist abuse shouted at the victim at {place} on several days over {weeks} weeks.",
    "8Q": "Victim followed and watched near home and at {place} over {weeks} weeks by a former partner.",
    "8R": "Threatening messages sent to the victim on social media ({time}).",
    "8U": "Partner controls the victim's money, phone and contact with family; reported after {weeks} weeks.",
    "10A": "Suspect seen with what appeared to be a handgun at {place} ({time}); armed officers deployed.",
    "10B": "Shotgun found in a house search at {place}; no certificate held.",
    "10C": "Suspect found carrying a metal baton at {place} ({time}).",
    "81": "Air weapon fired towards a neighbour's garden at {place} ({time}).",
}

# Additional verifiable information that fits each offence group: (kind, source, what it shows).
# Additional verifiable information that fits each offence subgroup: (kind, source, what it shows). Each shows that
# the reported event did not happen; none merely clears a suspect (that would not meet C2).
AVI_FINDINGS = {
    "Shoplifting": (
        (
            "recording",
            "Store CCTV",
            "Store CCTV reviewed by PC {officer} on {date} shows the items were paid for at the till",
        ),
        ("document", "Till record", "The till record for {date} shows the items were bought and paid for by card"),
    ),
    "Other Theft": (
        (
            "other",
            "Search by the OIC",
            "{item_cap} reported stolen was found at the complainant's workplace on {date}, misplaced",
        ),
        (
            "witness",
            "Witness statement",
            "A neighbour's statement taken on {date} shows {item} was lent to him with the owner's consent",
        ),
    ),
    "Bicycle Theft": (
        (
            "witness",
            "Witness statement",
            "The complainant's flatmate confirmed on {date} that he had borrowed the bicycle",
        ),
    ),
    "Vehicle Offences": (
        (
            "document",
            "Finance company record",
            "The finance company confirmed on {date} that it repossessed the car lawfully",
        ),
        (
            "recording",
            "Dashcam footage",
            "The owner's own dashcam, viewed on {date}, shows the car was parked in another street",
        ),
    ),
    "Residential Burglary": (
        (
            "document",
            "Insurer's loss adjuster",
            "The loss adjuster's report of {date} and the tenant's admission show the door was damaged by the tenant, with nothing taken",
        ),
        (
            "other",
            "Search by the OIC",
            "The items reported taken were found in the loft on {date}, stored by a relative",
        ),
    ),
    "Burglary Business and Community": (
        (
            "recording",
            "Premises CCTV",
            "Premises CCTV reviewed on {date} shows the unit was opened by the keyholder and nothing was taken",
        ),
    ),
    "Criminal Damage": (
        (
            "document",
            "Council surveyor's report",
            "The council's surveyor reported on {date} that the damage was caused by storm winds",
        ),
        (
            "recording",
            "Doorbell camera",
            "The complainant's doorbell camera, viewed on {date}, shows the window broke when a branch fell",
        ),
    ),
    "Arson": (
        (
            "forensic",
            "Fire investigation report",
            "The fire service's investigation report of {date} finds an electrical fault caused the fire",
        ),
    ),
    "Violence with Injury": (
        (
            "recording",
            "CCTV",
            "CCTV from {place}, obtained on {date}, shows the complainant tripped on a kerb and no one touched him",
        ),
        (
            "forensic",
            "Medical report",
            "The A&E notes obtained on {date} record the injury as an accidental fall, which the patient described at the time",
        ),
    ),
    "Violence without Injury": (
        (
            "recording",
            "Body-worn video",
            "Body-worn video from PC {officer}, reviewed on {date}, shows no contact between the parties",
        ),
        (
            "witness",
            "Independent witness",
            "Two independent witnesses spoken to on {date} saw the whole exchange and no one was pushed or threatened",
        ),
    ),
    "Stalking and Harassment": (
        (
            "document",
            "Phone records",
            "Phone records obtained on {date} show the messages came from the complainant's own second account",
        ),
        (
            "recording",
            "Doorbell camera",
            "Doorbell footage for the dates given, viewed on {date}, shows no visits by the named man",
        ),
    ),
    "Rape": (
        (
            "retraction",
            "Victim's verified retraction",
            "The complainant's own account of {date}, verified against her messages at the time, shows the events described did not happen",
        ),
    ),
    "Other Sexual Offences": (
        (
            "recording",
            "Bus CCTV",
            "Bus CCTV obtained on {date} covers the whole journey and shows no one touched the complainant",
        ),
        (
            "retraction",
            "Victim's verified retraction",
            "The complainant's verified account of {date} says the touching she first described did not take place",
        ),
    ),
    "Public Order Offences": (
        ("recording", "Body-worn video", "Body-worn video reviewed on {date} shows no threats or abuse were used"),
    ),
    "Robbery of Business Property": (
        (
            "recording",
            "Shop CCTV",
            "Shop CCTV obtained on {date} shows the manager emptied the till at closing; no one was threatened",
        ),
    ),
    "Robbery of Personal Property": (
        (
            "recording",
            "CCTV",
            "CCTV from {place}, obtained on {date}, shows {item} was handed over in an agreed sale, not taken",
        ),
    ),
    "Possession of Drugs": (
        (
            "forensic",
            "Laboratory analysis",
            "Laboratory analysis reported on {date} shows the substance seized is not a controlled drug",
        ),
    ),
    "Trafficking of Drugs": (
        (
            "forensic",
            "Laboratory analysis",
            "Laboratory analysis reported on {date} shows the packages seized contain no controlled drug",
        ),
    ),
    "Possession of Weapons Offences": (
        (
            "other",
            "Examination of the item",
            "The item seized, examined on {date}, is a folding pocketknife with a 2.5-inch blade: lawful to carry",
        ),
    ),
    "other": (
        (
            "document",
            "Official record",
            "The record obtained on {date} shows the event reported did not take place as described",
        ),
    ),
}
THEFT_ERRORS = ("The caller confirmed {item} was lost, not stolen, before the crime was recorded",)
ERRORS = (
    "The control room created the crime from a test incident",
    "The incident was entered as a crime against the wrong occurrence by the contact centre",
    "The crime was recorded against the wrong victim's occurrence",
)
DUPLICATE_WHY = (
    "The 999 call and the online report describe the same incident at {place}",
    "The second record was created when the victim rang back with more detail",
    "The contact centre and the attending officer each recorded the same report",
)
VIOLENCE_DUPLICATE_WHY = ("Both records describe the same assault on the same victim on the same night",)
# Reclassifications a force really makes: (from code, to code, the new information that justifies it).
RECLASS_PATHS = (
    ("105A", "8N", "Medical evidence shows a fractured cheekbone: the injury is more serious than first recorded"),
    ("8N", "5D", "The victim's injuries and the use of a glass show intent to cause serious harm"),
    ("105A", "105B", "The victim's statement and body-worn video record racist abuse during the assault"),
    ("9A", "9B", "Body-worn video records racist words used towards the victim"),
    ("49", "34B", "CCTV shows the phone was snatched with force, pushing the victim over: robbery, not theft"),
    ("28F", "28E", "Forensic examination shows entry was gained and property taken from the house"),
    ("8L", "8Q", "The victim's diary and messages show a fixated course of conduct amounting to stalking"),
    ("20A", "19C", "The victim's ABE interview discloses penetration: the offence is rape"),
    ("8N", "105A", "The victim's account and CCTV show no injury was caused"),
    ("34B", "49", "Property was taken without force or threat, so this is theft, not robbery"),
    ("28E", "28F", "Further enquiries show no entry was gained to the dwelling"),
    ("8Q", "8L", "The conduct is harassment: there is no fixation and no fear of violence"),
    ("5D", "8N", "The medical report shows a minor injury and no intent to cause serious harm"),
    ("20A", "105A", "CCTV and the victim's second account show a push with no sexual element"),
    ("19C", "19D", "The victim's age at the time was misrecorded: she was 15"),
    ("46", "49", "The items were taken from the staff room, not the shop floor: other theft, not shoplifting"),
    ("58A", "58C", "The damage was to the car on the drive, not to the house"),
    ("58D", "58C", "The scratches were to the car parked against the fence, not to the fence itself"),
    ("8R", "8L", "The principal crime rule applies: repeated calls and visits make this harassment"),
)
TRANSFER_OUT = (
    "The offence took place at {place} in {force}'s area; the victim lives there too",
    "CCTV places the offence at {place}, over the force boundary in {force}'s area",
    "The victim reported here while visiting; the offence was at their home in {force}'s area",
)
TRANSFER_DISPUTE = (
    "{force} say the offence began in our area before the suspect crossed the boundary",
    "{force} say the location given is inside our area on their mapping",
    "{force} need the victim's statement before they will accept it",
)
TRANSFER_IN = (
    "{force} report the offence took place at {place} in our area",
    "{force} sent this after the victim reported at their front counter; the offence was here",
)
# Each referral scenario is one record: who refers it, about whom, what they say, the crimes it discloses, and the
# outcomes that fit it with their own reasons (no-crime and CRI reasons only where they make sense).
REFERRAL_SCENARIOS = (
    {
        "agencies": ("EDU",),
        "subject": "child",
        "text": "School reports {an_age}-year-old pupil arrived with bruising to the arm and said their father hit them",
        "ages": (6, 15),
        "codes": ("8N", "11A"),
        "outcomes": {"record": 80, "duplicate": 10, "no-crime": 10},
        "no_crime": "The school nurse and the GP confirm the bruising came from a fall at football practice; the "
        "pupil retracted nothing and no offence is disclosed",
    },
    {
        "agencies": ("CSC",),
        "subject": "child",
        "text": "Children's social care report {an_age}-year-old girl disclosed sexual touching by an older cousin",
        "ages": (8, 12),
        "codes": ("20B",),
        "outcomes": {"record": 90, "duplicate": 10},
    },
    {
        "agencies": ("HEA",),
        "subject": "child",
        "text": "Health visitor reports unexplained bruising to a baby seen at a home visit",
        "ages": (0, 1),
        "codes": ("11A", "8N"),
        "outcomes": {"record": 60, "no-crime": 40},
        "no_crime": "The paediatric assessment found the marks are a birthmark (congenital dermal melanocytosis); no "
        "injury and no offence",
    },
    {
        "agencies": ("YOS", "CSC"),
        "subject": "child",
        "text": "Youth worker reports {an_age}-year-old disclosed being made to carry drugs for older males",
        "ages": (14, 17),
        "codes": ("106",),
        "outcomes": {"record": 85, "cri": 15},
        "cri": "The child gives no name or place that identifies the exploitation; it is referred to the NRM and "
        "recorded if anything is disclosed",
    },
    {
        "agencies": ("EDU", "CSC"),
        "subject": "child",
        "text": "School reports {an_age}-year-old was sent sexual messages by an adult met online, who asked to meet",
        "ages": (11, 15),
        "codes": ("88A",),
        "outcomes": {"record": 90, "duplicate": 10},
    },
    {
        "agencies": ("ASC",),
        "subject": "adult at risk",
        "text": "Care home reports a resident's savings were taken by a family member with her bank card",
        "codes": ("49",),
        "outcomes": {"record": 75, "no-crime": 25},
        "no_crime": "The resident's lasting power of attorney allows the son to manage her account and the bank "
        "shows spending on her care; no offence",
    },
    {
        "agencies": ("HEA", "ASC"),
        "subject": "adult at risk",
        "text": "District nurse reports pressure sores and neglect of an elderly man living with his son",
        "codes": ("105A",),
        "outcomes": {"record": 60, "no-crime": 40},
        "no_crime": "The son is not his carer and the sores follow a hospital stay; adult social care are "
        "arranging care; no offence of ill-treatment or wilful neglect",
    },
    {
        "agencies": ("ASC",),
        "subject": "adult at risk",
        "text": "Day centre reports a woman with learning disabilities disclosed being slapped by a paid carer",
        "codes": ("105A",),
        "outcomes": {"record": 95, "duplicate": 5},
    },
    {
        "agencies": ("DAS",),
        "subject": "adult",
        "text": "Domestic abuse service reports the client disclosed controlling behaviour and threats by her partner",
        "codes": ("8U", "3B"),
        "outcomes": {"record": 75, "cri": 25},
        "cri": "The client will not give her name or address to the police and cannot be identified from the referral",
    },
    {
        "agencies": ("HOU",),
        "subject": "adult",
        "text": "Housing officer reports a tenant is being threatened and harassed by a neighbour",
        "codes": ("8L",),
        "outcomes": {"record": 70, "no-crime": 30},
        "no_crime": "The tenant describes one argument over parking with no threats; a civil neighbour dispute, no "
        "offence",
    },
    {
        "agencies": ("PRO",),
        "subject": "adult",
        "text": "Probation report a client disclosed being assaulted by her partner last weekend",
        "codes": ("8N", "105A"),
        "outcomes": {"record": 85, "duplicate": 15},
    },
)
CRI_RATIONALE = "A crime-related incident: no crime of its own can be recorded yet, for the reason given."


def fill(rng: random.Random, template: str, **known: str) -> str:
    """Fill a template's blanks with invented details."""
    item = known.get("item") or rng.choice(ITEMS)
    values = {
        "place": rng.choice(PLACES),
        "time": rng.choice(TIMES),
        "item": item,
        "item_cap": item[0].upper() + item[1:],
        "officer": rng.choice(SURNAMES),
        "age": str(rng.randint(3, 15)),
        "an_age": "",
        "adult_age": str(rng.randint(19, 84)),
        "weeks": str(rng.randint(2, 12)),
        "date": known.get("date", ""),
        "force": known.get("force", ""),
    }
    values.update(known)
    if "{an_age}" in template:
        low, high = (int(part) for part in known.get("ages", "3-15").split("-"))
        age = rng.randint(low, high)
        values["an_age"] = f"{'an' if age in (8, 11, 18) or str(age).startswith('8') else 'a'} {age}"
        values["age"] = str(age)
    return template.format(**values)


APPROVE_RATIONALE = {
    "C2": (
        "AVI reviewed in full: {evidence_inside}. No notifiable crime took place, so C2 is met.",
        "{evidence}. The information is verifiable and independent of the suspect; C2 applies.",
    ),
    "C3": (
        "{evidence}. The surviving crime records the whole incident; C3 applies.",
        "Checked both records: {evidence_inside}. Cancelled as a duplicate of the surviving crime.",
    ),
    "C4": (
        "{evidence}. The record should never have been created; C4 applies.",
        "Confirmed with the recording team: {evidence_inside}. Cancelled as recorded in error.",
    ),
    "C5": ("{evidence}. The force used was lawful self-defence, shown by AVI.",),
}
REJECT_RATIONALE = (
    "The evidence offered is the victim's changed account only, not AVI; the crime stays recorded.",
    "The CCTV does not cover the location of the offence, so it cannot show no crime occurred.",
    "The surviving crime describes a different incident on another date; not a duplicate.",
    "No verifiable information was supplied with the request; the crime stays recorded.",
)
RETURN_RATIONALE = (
    "Please attach the CCTV still images and say who reviewed the footage.",
    "Please give the date the statement was taken and by whom.",
    "Please confirm the surviving crime reference; the one given does not match.",
)
ANSWER_RATIONALE = (
    "Stills attached to the record; reviewed by the OIC and a sergeant.",
    "Statement taken by the OIC three days after the report; now on file.",
    "Correct surviving reference added to the request.",
)
REFER_RATIONALE = (
    "Restricted offence: referred to the FCR for decision.",
    "Finely balanced: referred up for a senior decision.",
    "Downgrade out of a restricted class: referred to the FCR.",
)
RECLASS_APPROVE = (
    "{info}. The new code reflects the offence disclosed.",
    "Agreed: {info_inside}. Reclassified under the Home Office Counting Rules.",
)
RECLASS_REJECT = (
    "The new information does not change the offence: the original code stands.",
    "The principal crime is already recorded correctly; reclassification refused.",
)
AUDIT_DISAGREE = (
    "The AVI offered was the victim's changed account only; that is not verifiable information.",
    "The surviving crime describes a different incident; the two records are not duplicates.",
    "The downgrade ignored the medical evidence of a fracture; the original code was right.",
    "The referral disclosed an assault on a child that should have been recorded, not closed as a CRI.",
)
