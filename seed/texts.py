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
    "power tools",
    "a handbag",
    "cash",
    "a laptop",
    "alcohol",
    "meat and cheese",
    "a catalytic converter",
    "a parcel",
    "jewellery",
    "a wallet",
    "fuel",
    "clothing",
)

SUBGROUP_SUMMARIES = {
    "Homicide": "Death of a {age}-year-old at {place}; enquiries ongoing.",
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

# Additional verifiable information that fits each offence group: (kind, source, what it shows).
AVI_FINDINGS = {
    "Theft": (
        (
            "recording",
            "CCTV",
            "CCTV from {place}, reviewed by PC {officer} on {date}, shows {item} was paid for at the till",
        ),
        ("document", "Till receipt", "The shop's till record for {date} shows {item} was bought and paid for by card"),
        (
            "witness",
            "Witness statement",
            "A neighbour's statement taken on {date} shows {item} was lent to him with consent",
        ),
        (
            "other",
            "Search by the OIC",
            "{item_cap} reported stolen was found at the complainant's workplace on {date}, misplaced",
        ),
    ),
    "Criminal Damage and Arson": (
        ("document", "Council report", "The council's surveyor reported on {date} that the damage was storm damage"),
        ("recording", "CCTV", "CCTV from {place}, obtained on {date}, shows the window was broken by a falling branch"),
    ),
    "Violence Against the Person": (
        (
            "recording",
            "Body-worn video",
            "Body-worn video from PC {officer}, reviewed on {date}, shows no contact between the parties",
        ),
        (
            "recording",
            "CCTV",
            "CCTV from {place}, obtained on {date}, shows the complainant fell and no one touched him",
        ),
        (
            "forensic",
            "Medical report",
            "The A&E report obtained on {date} records the injury as a fall on ice, with no assault",
        ),
    ),
    "Sexual Offences": (
        (
            "document",
            "Phone records",
            "Cell-site records obtained on {date} place the named suspect in another city at the time",
        ),
        (
            "recording",
            "CCTV",
            "CCTV from {place}, obtained on {date}, shows the complainant and the suspect were never together",
        ),
    ),
    "Public Order Offences": (
        ("recording", "Body-worn video", "Body-worn video reviewed on {date} shows no threats or abuse were used"),
    ),
    "Robbery": (
        (
            "recording",
            "CCTV",
            "CCTV from {place}, obtained on {date}, shows {item} was handed over in a sale, not taken",
        ),
    ),
    "other": (
        (
            "document",
            "Bank records",
            "Bank records obtained on {date} show the payments were authorised by the account holder",
        ),
        (
            "document",
            "Phone records",
            "Phone records obtained on {date} show the messages came from the complainant's own account",
        ),
    ),
}
ERRORS = (
    "The control room created the crime from a test incident",
    "The caller later confirmed {item} was lost, not stolen, before the crime was recorded",
    "The incident was entered as a crime against the wrong occurrence by the contact centre",
    "The crime was recorded against the wrong victim's occurrence",
)
DUPLICATE_WHY = (
    "The 999 call and the online report describe the same incident at {place}",
    "Both records describe the same assault on the same victim on the same night",
    "The second record was created when the victim rang back with more detail",
)
NEW_INFORMATION = {
    "up": (
        "Medical evidence shows a fracture: the injury is more serious than first recorded",
        "The victim's ABE interview discloses a more serious offence",
        "A weapon was used, confirmed by forensic examination",
    ),
    "down": (
        "The victim's account and CCTV show no injury was caused",
        "Property was taken without force or threat, so this is theft not robbery",
        "Further enquiries show no entry was gained to the dwelling",
    ),
    "lateral": (
        "The principal crime rule applies: this offence better describes the incident",
        "The victim's age at the time was misrecorded; the code follows the correct age",
        "The recording officer chose the wrong subcategory",
    ),
}
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
REFERRAL_TEXT = {
    "child": (
        "School reports a {age}-year-old pupil arrived with bruising and said a parent hit them",
        "Children's social care report a disclosure of sexual touching by an older cousin",
        "Health visitor reports unexplained injuries to a baby seen at a home visit",
        "A {age}-year-old told a youth worker they were made to carry packages for older males",
    ),
    "adult at risk": (
        "Care home reports a resident's savings were taken by a family member",
        "District nurse reports pressure sores and neglect of an elderly man living with his son",
        "Day centre reports a woman with learning disabilities disclosed being slapped by a carer",
    ),
    "adult": (
        "Domestic abuse service reports the client disclosed controlling behaviour and threats",
        "Housing officer reports a tenant being threatened by a neighbour",
        "Probation report a client disclosed being assaulted by a partner",
    ),
}
REFERRAL_OFFENCES = {
    "child": ("8N", "105A", "11A", "20B", "88A", "71", "8U"),
    "adult at risk": ("49", "105A", "8N", "40", "70"),
    "adult": ("8U", "105A", "8L", "8N", "3B"),
}
CRI_REASONS = (
    "The victim cannot be traced from the details given",
    "The adult victim will not confirm an offence took place",
    "Another force is dealing with the incident",
)
NO_CRIME_REASONS = (
    "The referral describes a welfare concern with no notifiable offence disclosed",
    "The injuries are explained by a medical condition, confirmed by the GP",
    "The concern is about neglect of the home that does not amount to an offence",
)


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
        "weeks": str(rng.randint(2, 12)),
        "date": known.get("date", ""),
        "force": known.get("force", ""),
    }
    values.update(known)
    return template.format(**values)


APPROVE_RATIONALE = {
    "C2": (
        "AVI reviewed in full: {evidence}. No notifiable crime took place, so C2 is met.",
        "{evidence}. The information is verifiable and independent of the suspect; C2 applies.",
    ),
    "C3": (
        "{evidence}. The surviving crime records the whole incident; C3 applies.",
        "Checked both records: {evidence}. Cancelled as a duplicate of the surviving crime.",
    ),
    "C4": (
        "{evidence}. The record should never have been created; C4 applies.",
        "Confirmed with the recording team: {evidence}. Cancelled as recorded in error.",
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
    "{info}; the new code reflects the offence disclosed.",
    "Agreed: {info}. Reclassified under the Home Office Counting Rules.",
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
