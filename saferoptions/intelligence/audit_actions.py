"""The audit actions intelligence writes (registered in apps.py)."""

ACTIONS = {
    "intelligence_submitted": "Intelligence shared with the Hub",
    "intelligence_added_to": "Intelligence added to",
    "intelligence_graded": "Intelligence graded",
    "intelligence_sanitised": "Intelligence sanitised for sharing",
    "intelligence_linked": "Intelligence linked to a record",
    "intelligence_candidates": "Children intelligence may be about listed",
    "intelligence_status": "Intelligence status changed",
    "intelligence_place_review": "Place review opened from intelligence",
    "intelligence_place_merged": "Intelligence moved to a known place",
    "intelligence_list": "Intelligence queue listed",
    "intelligence_view": "Intelligence viewed",
    "intelligence_own_list": "Own shared intelligence listed",
    "intelligence_shared_list": "Shared intelligence listed",
    "intelligence_shared_view": "Shared intelligence viewed",
    "intelligence_about_person": "Intelligence about a person listed",
    "intelligence_about_place": "Intelligence about a place listed",
    "intelligence_handling_changes": "Intelligence handling changes listed",
    "encoded_worry_received": "Encoded worry received",
    "encoded_worry_matched": "Encoded worry matched to a person",
    "encoded_match_list": "Encoded worry matches listed",
}
