"""Word lists for the synthetic city: forenames by generation, surnames, streets, postcodes.

Common names only, combined at random: no real person, address or school is described.
"""

from faker.providers.person.en_GB import Provider as FakerPerson


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# Forenames common among children born 2000-2016 in England, with Bristol's mix.
CHILD_NAMES_MALE = _words(
    "Oliver Jack Harry Charlie Thomas Jacob Alfie Riley William James Joshua George Ethan "
    "Noah Samuel Daniel Oscar Max Mohammed Muhammad Leo Dylan Lewis Jayden Tyler Kai Callum "
    "Alexander Benjamin Joseph Luke Liam Connor Ryan Kieran Reece Jordan Nathan Mason Logan "
    "Lucas Archie Finley Isaac Harrison Aaron Adam Ibrahim Yusuf Omar Ahmed Hamza Abdi Ayaan "
    "Kwame Tyrese Marcus Louis Toby Henry Freddie Theo Zachary Matthew Michael Christopher "
    "Bradley Jake Kyle Brandon Ellis Corey Jamal Malachi Ezra Elijah Caleb Rhys Owen"
)
CHILD_NAMES_FEMALE = _words(
    "Olivia Amelia Emily Isla Ava Jessica Isabella Lily Sophie Chloe Mia Ella Grace Ruby "
    "Evie Freya Poppy Charlotte Daisy Phoebe Sophia Holly Millie Lucy Megan Lauren Hannah "
    "Elizabeth Katie Ellie Amy Leah Abigail Jasmine Madison Summer Aisha Fatima Amina Maryam "
    "Zara Hafsa Khadija Ayan Hodan Nia Imani Kiara Tia Demi Shannon Courtney Paige Jade Bethany "
    "Caitlin Rebecca Rachel Victoria Alice Eleanor Florence Matilda Esme Willow Harper Maisie "
    "Scarlett Layla Niamh Keira Tegan Danielle Natasha Samantha Catherine Stephanie"
)
ADULT_NAMES_MALE = tuple(FakerPerson.first_names_male)
ADULT_NAMES_FEMALE = tuple(FakerPerson.first_names_female)
SURNAMES = tuple(FakerPerson.last_names) + _words(
    "Smith Jones Williams Taylor Brown Davies Evans Wilson Thomas Roberts Johnson Walker "
    "Ali Ahmed Hussain Khan Begum Mohamed Hassan Osman Abdi Farah Warsame Yusuf Okafor Mensah "
    "Campbell Francis Clarke Reid Thompson Phillips Kowalski Nowak Popescu Mahmood Iqbal"
)

# Spelling variants agencies record for the same name (Jayden Smith vs Jaydon Smyth).
SPELLINGS = {
    "Jayden": ("Jaydon", "Jaden", "Jaiden"),
    "Mohammed": ("Muhammad", "Mohammad", "Mohamed"),
    "Muhammad": ("Mohammed", "Muhammed"),
    "Tyrese": ("Tyreese", "Tyreece"),
    "Kieran": ("Kieron", "Ciaran"),
    "Reece": ("Rhys", "Reese"),
    "Rhys": ("Reece", "Rees"),
    "Aisha": ("Ayesha", "Aysha"),
    "Catherine": ("Katherine", "Kathryn"),
    "Stephanie": ("Stefanie",),
    "Leah": ("Lea", "Leigh"),
    "Sophie": ("Sophy",),
    "Isabella": ("Isabela", "Izabella"),
    "Zachary": ("Zachery", "Zackary"),
    "Abdi": ("Abdy",),
    "Smith": ("Smyth", "Smithe"),
    "Thompson": ("Thomson", "Tompson"),
    "Clarke": ("Clark",),
    "Phillips": ("Philips", "Phillipps"),
    "Reid": ("Reed", "Read"),
    "Davies": ("Davis", "Davys"),
    "Mohamed": ("Mohammed", "Muhamed"),
    "Hussain": ("Hussein", "Husain"),
    "Begum": ("Begam",),
    "Ahmed": ("Ahmad", "Ahmet"),
    "Osman": ("Othman", "Usman"),
    "Mensah": ("Mensa",),
}

# Short forms and nicknames (the name a child gives, not the one on the school roll).
NICKNAMES = {
    "Jayden": ("Jay",), "Mohammed": ("Mo", "Moe"), "Muhammad": ("Mo",),
    "Elizabeth": ("Liz", "Lizzie", "Beth"), "Alexander": ("Alex", "Xander"),
    "William": ("Will", "Billy", "Liam"), "Thomas": ("Tom", "Tommy"), "James": ("Jamie", "Jim"),
    "Joseph": ("Joe", "Joey"), "Daniel": ("Dan", "Danny"), "Michael": ("Mike", "Mikey"),
    "Christopher": ("Chris",), "Matthew": ("Matt", "Matty"), "Benjamin": ("Ben", "Benji"),
    "Samuel": ("Sam", "Sammy"), "Nathan": ("Nate",), "Joshua": ("Josh",), "Zachary": ("Zac",),
    "Charlotte": ("Charlie", "Lottie"), "Isabella": ("Bella", "Izzy"), "Olivia": ("Liv",),
    "Rebecca": ("Becky", "Becca"), "Victoria": ("Tori", "Vicky"), "Jessica": ("Jess",),
    "Abigail": ("Abbie", "Abi"), "Eleanor": ("Ellie", "Nell"), "Samantha": ("Sam",),
    "Natasha": ("Tash",), "Danielle": ("Dani",), "Stephanie": ("Steph",),
    "Catherine": ("Cath", "Kate"), "Amelia": ("Millie",), "Sophia": ("Sophie",),
    "Harrison": ("Harry",), "Frederick": ("Freddie",), "Theodore": ("Theo",),
    "Bradley": ("Brad",), "Brandon": ("Bran",), "Callum": ("Cal",), "Malachi": ("Kai",),
    "Ibrahim": ("Ibby", "Ibra"), "Hamza": ("Hamz",), "Marcus": ("Marc",), "Kwame": ("Kwam",),
    "Freya": ("Frey",), "Matilda": ("Tilly",), "Madison": ("Maddie",), "Florence": ("Flo",),
    "Jasmine": ("Jas", "Jazz"), "Bethany": ("Beth",), "Courtney": ("Court",),
}

STREET_ENDINGS = (
    "Road", "Street", "Close", "Avenue", "Lane", "Grove", "Way", "Crescent", "Walk",
    "Gardens", "Place", "Drive", "Hill", "Park", "Court", "Terrace",
)
STREET_STEMS = _words(
    "Alder Ash Beech Birch Bramble Briar Cedar Chestnut Clover Elder Elm Fern Hawthorn Hazel "
    "Heather Holly Juniper Larch Laurel Lilac Linden Maple Meadow Oak Orchard Poplar Rowan "
    "Sorrel Spruce Sycamore Teasel Willow Yew Kestrel Wren Lark Heron Swift Plover Linnet "
    "Finch Merlin Osprey Falcon Magpie Robin Thrush Curlew Bittern Quarry Foundry Tannery "
    "Cooper Mason Weaver Carter Miller Thatcher Chandler Tanner Brewer Glazier Potter Ropewalk"
)

# Each ward's postcode district (outward code) in the BS1-BS16 range, approximately.
WARD_DISTRICTS = {
    "BW01": "BS11", "BW02": "BS10", "BW03": "BS10", "BW04": "BS7", "BW05": "BS7",
    "BW06": "BS16", "BW07": "BS16", "BW08": "BS9", "BW09": "BS9", "BW10": "BS7",
    "BW11": "BS6", "BW12": "BS6", "BW13": "BS8", "BW14": "BS2", "BW15": "BS1",
    "BW16": "BS8", "BW17": "BS5", "BW18": "BS5", "BW19": "BS8", "BW20": "BS2",
    "BW21": "BS5", "BW22": "BS5", "BW23": "BS5", "BW24": "BS3", "BW25": "BS13",
    "BW26": "BS4", "BW27": "BS4", "BW28": "BS4", "BW29": "BS13", "BW30": "BS14",
    "BW31": "BS4", "BW32": "BS3", "BW33": "BS14", "BW34": "BS3",
}
# Letters allowed in the inward code of a UK postcode (no C, I, K, M, O, V).
INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"

# Invented school names: "<stem> <kind>".
SCHOOL_STEMS = _words(
    "Fictional Riverside Hillcrest Brookfield Kingswell Harbourview Oakridge Meadowbank "
    "Westgate Ashcombe Redcliffe Vale Northfield Eastwood Southdown Larkspur Fernhill "
    "Stonebridge Greenway Coldharbour Whitecross Blackberry Lime Kiln Heathfield"
)
SCHOOL_KINDS = ("Academy", "Community School", "College", "High School", "Academy Trust School")

# Invented place names by type; "{stem}" is a street stem, "{ward}" the ward's name.
PLACE_NAMES = {
    "park": ("{stem} Park", "{stem} Fields", "{stem} Recreation Ground", "{stem} Green"),
    "transport_hub": ("{ward} Bus Station", "{stem} Road Bus Stop", "{ward} Railway Station"),
    "shop": ("{stem} Convenience Store", "{stem} Mini Market", "{stem} Express"),
    "takeaway": ("{stem} Chicken", "{stem} Fried Chicken", "{stem} Kebab House", "{stem} Pizza"),
    "licensed_premises": ("The {stem} Arms", "The {stem} Inn", "{stem} Bar", "The {stem} Tavern"),
    "estate": ("{stem} Estate", "{stem} Court flats", "{stem} House tower block"),
    "street": ("{stem} Road underpass", "{stem} Lane", "the alley off {stem} Street"),
    "youth_club": ("{stem} Youth Club", "{ward} Community Centre", "{stem} Boxing Club"),
}

VEHICLE_MAKES = (
    "black Ford Fiesta", "silver Vauxhall Corsa", "white Mercedes Sprinter van",
    "grey BMW 1 Series", "blue Audi A3", "black Volkswagen Golf", "white Toyota Prius",
    "red Peugeot 208", "black Range Rover Evoque", "silver Nissan Qashqai",
)
