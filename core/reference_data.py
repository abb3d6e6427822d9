"""Reference data: IMDi's six regions, the counties and municipalities of 2014 and of every structure since
(SSB KLASS, core/data/), reception centres and agencies."""

# code, name, office city
REGIONS = [
    ("ost", "Øst", "Oslo"),
    ("indre-ost", "Indre Øst", "Gjøvik"),
    ("sor", "Sør", "Kristiansand"),
    ("vest", "Vest", "Bergen"),
    ("midt", "Midt", "Trondheim"),
    ("nord", "Nord", "Narvik"),
]

# number, name, regional office code, valid from, valid to (KLASS 104; valid_to is the first day no longer valid).
# The 2014 counties' offices are chapter 8.1.7 of the evaluation (lines 5627-5640): Vestfold is under IMDi Øst.
# Buskerud is not named in 8.1.7; it stays under Indre Øst as before (assumption, see core/data/README).
# Viken and Vestfold og Telemark straddled two offices, so they have none; their municipalities keep the
# office of the area they came from. Today's counties keep the office of the 2014 counties they cover.
COUNTIES = [
    ("01", "Østfold", "ost", None, "2020-01-01"),
    ("02", "Akershus", "ost", None, "2020-01-01"),
    ("03", "Oslo", "ost", None, None),
    ("04", "Hedmark", "indre-ost", None, "2020-01-01"),
    ("05", "Oppland", "indre-ost", None, "2020-01-01"),
    ("06", "Buskerud", "indre-ost", None, "2020-01-01"),
    ("07", "Vestfold", "ost", None, "2020-01-01"),
    ("08", "Telemark", "sor", None, "2020-01-01"),
    ("09", "Aust-Agder", "sor", None, "2020-01-01"),
    ("10", "Vest-Agder", "sor", None, "2020-01-01"),
    ("11", "Rogaland", "vest", None, None),
    ("12", "Hordaland", "vest", None, "2020-01-01"),
    ("14", "Sogn og Fjordane", "vest", None, "2020-01-01"),
    ("15", "Møre og Romsdal", "midt", None, None),
    ("16", "Sør-Trøndelag", "midt", None, "2018-01-01"),
    ("17", "Nord-Trøndelag", "midt", None, "2018-01-01"),
    ("18", "Nordland", "nord", None, None),
    ("19", "Troms", "nord", None, "2020-01-01"),
    ("20", "Finnmark", "nord", None, "2020-01-01"),
    ("50", "Trøndelag", "midt", "2018-01-01", None),
    ("30", "Viken", None, "2020-01-01", "2024-01-01"),
    ("34", "Innlandet", "indre-ost", "2020-01-01", None),
    ("38", "Vestfold og Telemark", None, "2020-01-01", "2024-01-01"),
    ("42", "Agder", "sor", "2020-01-01", None),
    ("46", "Vestland", "vest", "2020-01-01", None),
    ("54", "Troms og Finnmark", "nord", "2020-01-01", "2024-01-01"),
    ("31", "Østfold", "ost", "2024-01-01", None),
    ("32", "Akershus", "ost", "2024-01-01", None),
    ("33", "Buskerud", "indre-ost", "2024-01-01", None),
    ("39", "Vestfold", "ost", "2024-01-01", None),
    ("40", "Telemark", "sor", "2024-01-01", None),
    ("55", "Troms", "nord", "2024-01-01", None),
    ("56", "Finnmark", "nord", "2024-01-01", None),
]

# Populations of 2014 are in core/data/population_2014.csv (partly approximate; see its header).

# name, municipality number, kind, operator
RECEPTION_CENTRES = [
    ("Hvalstad transittmottak", "0220", "transit", "UDI"),
    ("Råde mottak", "0135", "ordinary", "Hero Norge"),
    ("Oslo mottak for enslige mindreårige", "0301", "minors", "Oslo kommune"),
    ("Lillehammer mottak", "0501", "ordinary", "Norsk Folkehjelp"),
    ("Kongsvinger mottak", "0402", "ordinary", "Hero Norge"),
    ("Hamar omsorgssenter", "0403", "care_centre", "Bufetat"),
    ("Drammen mottak", "0602", "ordinary", "Norlandia"),
    ("Larvik mottak", "0709", "ordinary", "Hero Norge"),
    ("Notodden mottak", "0807", "ordinary", "Notodden kommune"),
    ("Arendal mottak", "0906", "ordinary", "Norsk Folkehjelp"),
    ("Flekkefjord mottak for enslige mindreårige", "1004", "minors", "Flekkefjord kommune"),
    ("Stavanger mottak", "1103", "ordinary", "Stavanger kommune"),
    ("Haugesund mottak", "1106", "ordinary", "Hero Norge"),
    ("Bergen mottak", "1201", "ordinary", "Røde Kors"),
    ("Førde mottak", "1432", "ordinary", "Førde kommune"),
    ("Molde mottak", "1502", "ordinary", "Hero Norge"),
    ("Trondheim mottak", "1601", "ordinary", "Trondheim kommune"),
    ("Levanger mottak for enslige mindreårige", "1719", "minors", "Levanger kommune"),
    ("Narvik mottak", "1805", "ordinary", "Narvik kommune"),
    ("Tromsø mottak", "1902", "ordinary", "Norlandia"),
    ("Sør-Varanger mottak", "2030", "ordinary", "Hero Norge"),
]

AGENCIES = [
    ("udi", "Utlendingsdirektoratet (UDI)"),
    ("bufetat", "Barne-, ungdoms- og familieetaten (Bufetat)"),
    ("bufdir", "Barne-, ungdoms- og familiedirektoratet (Bufdir)"),
    ("nav", "Arbeids- og velferdsdirektoratet (NAV)"),
    ("husbanken", "Husbanken"),
    ("udir", "Utdanningsdirektoratet (Udir)"),
    ("helsedir", "Helsedirektoratet"),
    ("vox", "Vox – nasjonalt fagorgan for kompetansepolitikk"),
    ("ldo", "Likestillings- og diskrimineringsombudet (LDO)"),
    ("bld", "Barne-, likestillings- og inkluderingsdepartementet (BLD)"),
]
