"""Given names and surnames per country, in the original script with Latin spellings.

An entry is ``"native=Latin/Variant/..."`` where the country writes in another script
(Arabic, Cyrillic, Vietnamese with diacritics), or ``"Latin/Variant"``. The first Latin form
is the usual one; agencies pick variants (Mohammed/Mohamed, Shevchenko/Schewtschenko).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache


@dataclass(frozen=True, slots=True)
class Name:
    native: str | None
    latin: tuple[str, ...]

    @property
    def usual(self) -> str:
        return self.latin[0]


_BANK: dict[str, dict[str, str]] = {
    "ng": {
        "male": "Osagie,Eghosa,Emeka/Emeká,Chinedu,Oluwaseun/Seun,Ikechukwu,Tunde/Babatunde,"
        "Efosa,Uyi,Ifeanyi,Kehinde,Ade/Adeyemi,Obinna,Nosa,Godwin,Friday,Sunday,Samuel",
        "female": "Blessing,Joy,Precious,Favour/Favor,Gift,Osaretin,Esohe,Ngozi,Chioma,"
        "Funmilayo/Funmi,Aisha/Aishat,Mercy,Peace,Happiness,Princess,Adesuwa,Omoye,Grace",
        "surname": "Osagie,Okafor,Eze,Adeyemi,Obaseki,Igbinedion,Ogbeide,Omoregie,Aigbe,"
        "Edosomwan,Okonkwo,Nwachukwu,Balogun,Uwaifo,Osayande,Iyamu,Ehigie,Akpata,Bello,Ibrahim",
    },
    "ne": {
        "male": "Moussa/Musa,Abdou/Abdu,Issoufou/Issufu,Hamidou,Boubacar/Bubakar,Ibrahim,Salif",
        "female": "Aïchatou/Aichatou,Mariama,Fatouma,Hadiza,Zeinabou",
        "surname": "Issoufou,Mahamadou,Abdou,Garba,Hamani,Oumarou,Souley,Maïga/Maiga",
    },
    "er": {
        "male": "Tesfay/Tesfaye/Tesfai,Yonas/Yohannes,Filmon,Dawit/Dawitt,Habtom,Samuel,"
        "Berhane/Berhani,Mehari,Kidane,Amanuel/Emmanuel,Ermias,Robel,Abel,Henok",
        "female": "Senait/Senayt,Helen,Selam/Salam,Freweini/Frewini,Luwam,Semhar,Yordanos,"
        "Mebrat,Saba,Hiwet,Ruta,Eden",
        "surname": "Tesfamariam,Gebremedhin/Ghebremedhin,Habte,Tekle,Berhe,Weldemichael/"
        "Woldemichael,Kahsay,Haile,Asmerom,Ghebreyesus/Gebreyesus,Mehari,Zerai/Zeray,Abraha",
    },
    "sd": {
        "male": "محمد=Mohamed/Mohammed/Muhammad,أحمد=Ahmed/Ahmad,عمر=Omar/Umar,"
        "عبدالله=Abdallah/Abdullah,حسن=Hassan/Hasan,إبراهيم=Ibrahim/Ebrahim,يوسف=Yousif/Yusuf,"
        "عثمان=Osman/Othman,خالد=Khalid/Khaled,آدم=Adam/Adem",
        "female": "فاطمة=Fatima/Fatma,عائشة=Aisha/Aicha,مريم=Mariam/Maryam,آمنة=Amna/Amina,"
        "هدى=Huda/Houda,سارة=Sara/Sarah",
        "surname": "محمد=Mohamed/Mohammed,عبدالرحمن=Abdelrahman/Abdulrahman/Abd al-Rahman,"
        "إبراهيم=Ibrahim,الحسن=Elhassan/Al-Hassan,عثمان=Osman,بشير=Bashir/Basheer,"
        "الطيب=Eltayeb/Al-Tayyib,صالح=Saleh/Salih,آدم=Adam,موسى=Musa/Mousa",
    },
    "ly": {
        "male": "محمد=Mohamed/Mohammed/Muhammad,علي=Ali,أحمد=Ahmed/Ahmad,مصطفى=Mustafa/Moustafa,"
        "عبدالسلام=Abdulsalam/Abdel Salam,خليفة=Khalifa/Khalifah,سالم=Salem/Salim,"
        "عبدالرحمن=Abdulrahman/Abdel Rahman,أسامة=Osama/Usama,طارق=Tarek/Tariq",
        "female": "فاطمة=Fatima/Fatma,خديجة=Khadija/Khadeeja,مريم=Mariam/Maryam,نورا=Nora/Noura,"
        "سلمى=Salma/Selma,ليلى=Layla/Leila",
        "surname": "الورفلي=Al-Warfalli/Elwarfalli,المصراتي=Al-Misrati/Elmisrati,"
        "الزوي=Al-Zway/Zuwayy,القذافي=Al-Gaddafi/Qadhafi,بن علي=Ben Ali/Bin Ali,"
        "الترهوني=Al-Tarhouni/Tarhuni,الشريف=Al-Sharif/Elsherif,دباشي=Dabbashi/Debbashi,"
        "العبيدي=Al-Obeidi/Obaidi,المقريف=Al-Magariaf/Magarief",
    },
    "it": {
        "male": "Marco,Giuseppe,Luca,Francesco,Antonio,Alessandro,Salvatore,Giovanni,Andrea,"
        "Matteo,Vincenzo,Roberto,Stefano,Paolo",
        "female": "Giulia,Francesca,Chiara,Anna,Sara,Maria,Laura,Valentina,Alessia,Martina,"
        "Elena,Federica,Rosa,Paola",
        "surname": "Rossi,Russo,Ferrari,Esposito,Bianchi,Romano,Colombo,Ricci,Marino,Greco,"
        "Bruno,Gallo,Conti,De Luca,Costa,Giordano,Mancini,Rizzo,Lombardi,Moretti",
    },
    "gb": {
        "male": "James,Oliver,Jack,Harry,George,Thomas,William,Daniel,Michael,David,Liam,Ryan",
        "female": "Olivia,Emily,Amelia,Jessica,Sophie,Charlotte,Chloe,Emma,Hannah,Lucy,Megan",
        "surname": "Smith,Jones,Taylor,Brown,Williams,Wilson,Johnson,Davies,Robinson,Wright,"
        "Thompson,Evans,Walker,White,Roberts,Green,Hall,Wood,Jackson,Clarke",
    },
    "de": {
        "male": "Lukas,Jonas,Leon,Maximilian,Felix,Paul,Tim,Jan,Stefan,Thomas,Michael,Andreas",
        "female": "Anna,Lena,Laura,Julia,Sarah,Lea,Katharina,Sabine,Petra,Nicole,Sandra",
        "surname": "Müller/Mueller,Schmidt,Schneider,Fischer,Weber,Meyer/Meier,Wagner,Becker,"
        "Schulz,Hoffmann,Schäfer/Schaefer,Koch,Bauer,Richter,Klein,Wolf,Schröder/Schroeder",
    },
    "al": {
        "male": "Arben,Besnik,Dritan,Ervin,Fatmir,Gentian,Ilir,Klodian,Marsel,Olsi,Redon,"
        "Sokol,Ardit,Erion",
        "female": "Anisa,Besa,Elona,Enkeleda,Flutura,Jonida,Klajdi,Mirela,Rudina,Xhesika/Jessica,"
        "Ermira,Arbana",
        "surname": "Hoxha,Shehu,Gjoka,Leka,Kola,Dervishi,Marku,Cela/Çela,Hysa,Basha,Gjoni,"
        "Prifti,Muça/Muca,Rama,Berisha,Krasniqi",
    },
    "vn": {
        "male": "Văn Anh=Van Anh,Văn Hùng=Van Hung,Đức Minh=Duc Minh,Quang Huy=Quang Huy,"
        "Văn Nam=Van Nam,Thành Long=Thanh Long,Minh Tuấn=Minh Tuan,Hoàng Phúc=Hoang Phuc,"
        "Văn Dũng=Van Dung,Tiến Đạt=Tien Dat",
        "female": "Thị Lan=Thi Lan,Thị Hoa=Thi Hoa,Thị Hương=Thi Huong,Ngọc Anh=Ngoc Anh,"
        "Thu Trang=Thu Trang,Thị Mai=Thi Mai,Phương Linh=Phuong Linh,Thị Nga=Thi Nga",
        "surname": "Nguyễn=Nguyen,Trần=Tran,Lê=Le,Phạm=Pham,Hoàng=Hoang/Huynh,Vũ=Vu/Vo,"
        "Đặng=Dang,Bùi=Bui,Đỗ=Do,Hồ=Ho",
    },
    "ru": {
        "male": "Алексей=Aleksei/Alexey,Дмитрий=Dmitri/Dmitry,Сергей=Sergei/Sergey,"
        "Иван=Ivan,Андрей=Andrei/Andrey",
        "female": "Анна=Anna,Ольга=Olga,Елена=Elena/Yelena,Наталья=Natalya/Natalia",
        "surname": "Иванов=Ivanov,Смирнов=Smirnov,Кузнецов=Kuznetsov/Kusnezow,Попов=Popov/Popow",
    },
    "fr": {
        "male": "Julien,Nicolas,Thomas,Pierre,Antoine,Mathieu",
        "female": "Camille,Julie,Marie,Claire,Manon",
        "surname": "Martin,Bernard,Dubois,Thomas,Robert,Richard,Petit,Durand",
    },
    "ro": {
        "male": "Andrei,Alexandru,Ionuț/Ionut,Florin,Marian,Constantin,Gheorghe,Cristian,"
        "Mihai,Adrian,Bogdan,Costel",
        "female": "Ioana,Maria,Elena,Andreea,Alexandra,Mihaela,Florentina,Denisa,Roxana,"
        "Georgiana,Nicoleta,Ramona",
        "surname": "Popescu,Ionescu,Stan,Dumitru,Stoica,Constantin,Marin,Lupu,Radu,Ciobanu,"
        "Munteanu,Matei,Tudor,Moldovan,Dinu,Lăcătuș/Lacatus",
    },
    "bg": {
        "male": "Георги=Georgi/Georgy,Иван=Ivan,Димитър=Dimitar/Dimitr,Николай=Nikolay/Nikolai,"
        "Петър=Petar/Peter,Стоян=Stoyan/Stojan,Асен=Asen/Assen",
        "female": "Мария=Maria,Елена=Elena,Десислава=Desislava,Йорданка=Yordanka/Jordanka,"
        "Радка=Radka,Цветелина=Tsvetelina/Zwetelina",
        "surname": "Иванов=Ivanov/Iwanow,Георгиев=Georgiev/Georgiew,Димитров=Dimitrov/Dimitrow,"
        "Петров=Petrov/Petrow,Асенов=Asenov/Assenow,Костадинов=Kostadinov/Kostadinow",
    },
    "ua": {
        "male": "Олександр=Oleksandr/Olexandr/Alexander,Андрій=Andrii/Andriy/Andrij,"
        "Сергій=Serhii/Serhiy/Sergej,Юрій=Yurii/Yuriy/Jurij,Віктор=Viktor/Wiktor,"
        "Микола=Mykola/Mikola,Василь=Vasyl/Wassyl,Дмитро=Dmytro/Dmitro,Іван=Ivan/Iwan,"
        "Богдан=Bohdan/Bogdan",
        "female": "Олена=Olena/Olena,Наталія=Nataliia/Natalia/Natalija,Ірина=Iryna/Irina,"
        "Юлія=Yuliia/Yulia/Julija,Оксана=Oksana,Тетяна=Tetiana/Tetyana/Tetjana,"
        "Світлана=Svitlana/Swetlana,Марія=Mariia/Maria",
        "surname": "Шевченко=Shevchenko/Schewtschenko,Коваленко=Kovalenko/Kowalenko,"
        "Бондаренко=Bondarenko,Ткаченко=Tkachenko/Tkatschenko,Кравченко=Kravchenko/"
        "Krawtschenko,Олійник=Oliinyk/Oliynyk/Olijnyk,Мельник=Melnyk/Melnik,"
        "Поліщук=Polishchuk/Poliszczuk,Савченко=Savchenko/Sawtschenko,Лисенко=Lysenko/Lyssenko",
    },
    "pl": {
        "male": "Piotr,Krzysztof,Tomasz,Paweł/Pawel,Marcin,Michał/Michal",
        "female": "Anna,Katarzyna,Magdalena,Agnieszka,Monika",
        "surname": "Nowak,Kowalski,Wiśniewski/Wisniewski,Wójcik/Wojcik,Kamiński/Kaminski,"
        "Lewandowski",
    },
}

SCRIPT = {"sd": "arabic", "ly": "arabic", "vn": "vietnamese", "ru": "cyrillic", "bg": "cyrillic"}
SCRIPT["ua"] = "cyrillic"


def _parse(entry: str) -> Name:
    if "=" in entry:
        native, latin = entry.split("=", 1)
        return Name(native.strip(), tuple(v.strip() for v in latin.split("/")))
    return Name(None, tuple(v.strip() for v in entry.split("/")))


@cache
def pool(country: str, kind: str) -> tuple[Name, ...]:
    """The names of one kind (male, female, surname) for a country."""
    bank = _BANK.get(country) or _BANK["gb"]
    return tuple(_parse(e) for e in bank[kind].split(","))


def countries() -> list[str]:
    return sorted(_BANK)
