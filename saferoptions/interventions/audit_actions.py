"""The audit actions interventions writes beyond the general ones (registered in apps.py)."""

ACTIONS = {
    "refer": "Referred to a programme",
    "refer_without_consent": "Referred without consent",
    "refer_ineligible": "Referred outside the programme's criteria",
    "accept": "Referral accepted",
    "decline": "Referral declined",
    "start": "Intervention started",
    "end": "Intervention ended",
    "record_session": "Intervention session recorded",
    "record_risk_judgement": "Risk judgement recorded",
    "record_rating": "Outcome rating recorded",
    "create_feedback_link": "Feedback link created",
    "offer_waiting_places": "Places offered to the waiting list",
    "broker_context": "Programme brokered for a group or a place",
    "end_placement": "Group's or place's placement ended or cancelled",
    "offer_place": "Place given to a group or a place from the waiting list",
    "change_capacity": "Programme places changed",
    "add_provider": "Provider added to a programme",
    "remove_provider": "Provider removed from a programme",
    "add_area": "Area added to a programme",
    "record_participation": "Participation activity recorded",
    "write": "Case formulation written",
    "staff": "Outreach session staffed",
    "record_seen": "Outreach session's sightings recorded",
    # The same words as cases: a code keeps one meaning across apps.
    "change": "Opened to change or changed",
}
