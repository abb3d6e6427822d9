"""Reference data for the demo and tests: IMDi's six regions, the 19 counties and municipality
numbers as they were in 2013–2014 (before the 2020 reform), with approximate populations."""

# code, name, office city
REGIONS = [
    ("ost", "Øst", "Oslo"),
    ("indre-ost", "Indre Øst", "Gjøvik"),
    ("sor", "Sør", "Kristiansand"),
    ("vest", "Vest", "Bergen"),
    ("midt", "Midt", "Trondheim"),
    ("nord", "Nord", "Narvik"),
]

# number, name, region code
COUNTIES = [
    ("01", "Østfold", "ost"),
    ("02", "Akershus", "ost"),
    ("03", "Oslo", "ost"),
    ("04", "Hedmark", "indre-ost"),
    ("05", "Oppland", "indre-ost"),
    ("06", "Buskerud", "indre-ost"),
    ("07", "Vestfold", "sor"),
    ("08", "Telemark", "sor"),
    ("09", "Aust-Agder", "sor"),
    ("10", "Vest-Agder", "sor"),
    ("11", "Rogaland", "vest"),
    ("12", "Hordaland", "vest"),
    ("14", "Sogn og Fjordane", "vest"),
    ("15", "Møre og Romsdal", "midt"),
    ("16", "Sør-Trøndelag", "midt"),
    ("17", "Nord-Trøndelag", "midt"),
    ("18", "Nordland", "nord"),
    ("19", "Troms", "nord"),
    ("20", "Finnmark", "nord"),
]

# number, name, population (approx. 2014); the county is the number's first two digits.
MUNICIPALITIES = [
    ("0101", "Halden", 30300), ("0104", "Moss", 31800), ("0105", "Sarpsborg", 54200), ("0106", "Fredrikstad", 77600),
    ("0135", "Råde", 7300),
    ("0213", "Ski", 29700), ("0219", "Bærum", 118000), ("0220", "Asker", 59000), ("0230", "Lørenskog", 35400),
    ("0231", "Skedsmo", 51500), ("0235", "Ullensaker", 32200),
    ("0301", "Oslo", 634000),
    ("0402", "Kongsvinger", 17800), ("0403", "Hamar", 29500), ("0412", "Ringsaker", 33700), ("0427", "Elverum", 20800),
    ("0501", "Lillehammer", 27200), ("0502", "Gjøvik", 29800), ("0528", "Østre Toten", 14800), ("0533", "Lunner", 9000),
    ("0602", "Drammen", 66900), ("0604", "Kongsberg", 26200), ("0605", "Ringerike", 29500), ("0625", "Nedre Eiker", 24100),
    ("0701", "Horten", 26600), ("0704", "Tønsberg", 42300), ("0706", "Sandefjord", 45000), ("0709", "Larvik", 43400),
    ("0805", "Porsgrunn", 35600), ("0806", "Skien", 53500), ("0807", "Notodden", 12600), ("0814", "Bamble", 14100),
    ("0901", "Risør", 6900), ("0904", "Grimstad", 22200), ("0906", "Arendal", 43800),
    ("1001", "Kristiansand", 86500), ("1002", "Mandal", 15400), ("1003", "Farsund", 9700), ("1004", "Flekkefjord", 9100),
    ("1102", "Sandnes", 73600), ("1103", "Stavanger", 130800), ("1106", "Haugesund", 36000), ("1120", "Klepp", 18400),
    ("1149", "Karmøy", 41500),
    ("1201", "Bergen", 275100), ("1219", "Bømlo", 11700), ("1221", "Stord", 18300), ("1246", "Fjell", 24900),
    ("1247", "Askøy", 27800),
    ("1401", "Flora", 11800), ("1420", "Sogndal", 7600), ("1432", "Førde", 12700),
    ("1502", "Molde", 26400), ("1504", "Ålesund", 45700), ("1505", "Kristiansund", 24400), ("1520", "Ørsta", 10600),
    ("1601", "Trondheim", 182000), ("1621", "Ørland", 5200), ("1638", "Orkdal", 11700), ("1653", "Melhus", 15700),
    ("1702", "Steinkjer", 21700), ("1703", "Namsos", 13000), ("1714", "Stjørdal", 23000), ("1719", "Levanger", 19500),
    ("1721", "Verdal", 14700),
    ("1804", "Bodø", 49600), ("1805", "Narvik", 18700), ("1820", "Alstahaug", 7400), ("1833", "Rana", 25900),
    ("1860", "Vestvågøy", 11100),
    ("1902", "Tromsø", 72700), ("1903", "Harstad", 24700), ("1931", "Lenvik", 11600),
    ("2003", "Vadsø", 6100), ("2004", "Hammerfest", 10400), ("2012", "Alta", 19800), ("2030", "Sør-Varanger", 10200),
]

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
