package eval

// FirstNames are common given names from many cultures.
var FirstNames = []string{
	"James", "Mary", "John", "Patricia", "Robert", "Jennifer", "Michael", "Linda", "William", "Elizabeth",
	"David", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah", "Charles", "Karen",
	"Mohammed", "Fatima", "Ahmed", "Aisha", "Ali", "Omar", "Hassan", "Layla", "Youssef", "Mariam",
	"Wei", "Fang", "Li", "Jing", "Hao", "Min", "Yan", "Lei", "Xin", "Jun",
	"Hiroshi", "Yuki", "Takeshi", "Sakura", "Kenji", "Minji", "Seo-yeon", "Ji-hoon", "Hyun", "Soo",
	"Rahul", "Priya", "Amit", "Sunita", "Vijay", "Anjali", "Ravi", "Deepa", "Sanjay", "Pooja",
	"Jose", "Maria", "Juan", "Carmen", "Luis", "Ana", "Carlos", "Lucia", "Miguel", "Sofia",
	"Ivan", "Olga", "Sergei", "Natalia", "Dmitri", "Elena", "Alexei", "Tatiana", "Vladimir", "Irina",
	"Pierre", "Marie", "Jean", "Camille", "Hans", "Anna", "Klaus", "Ursula", "Giovanni", "Giulia",
	"Chinedu", "Ngozi", "Kwame", "Amina", "Oluwaseun", "Zanele", "Tendai", "Abebe", "Kofi", "Wanjiru",
	"Mehmet", "Ayse", "Mustafa", "Emine", "Reza", "Zahra", "Arash", "Shirin", "Nguyen", "Thi",
	"Lars", "Ingrid", "Sven", "Astrid", "Piotr", "Agnieszka", "Tomasz", "Katarzyna", "Joao", "Beatriz",
}

// Surnames are common family names from many cultures.
var Surnames = []string{
	"Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson", "Anderson", "Taylor",
	"Khan", "Hussain", "Rahman", "Hassan", "Ibrahim", "Mahmoud", "Haddad", "Nasser", "Saleh", "Aziz",
	"Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou",
	"Sato", "Suzuki", "Takahashi", "Tanaka", "Watanabe", "Kim", "Lee", "Park", "Choi", "Jung",
	"Patel", "Sharma", "Singh", "Kumar", "Gupta", "Reddy", "Rao", "Iyer", "Nair", "Das",
	"Garcia", "Rodriguez", "Martinez", "Hernandez", "Lopez", "Gonzalez", "Perez", "Sanchez", "Ramirez", "Torres",
	"Ivanov", "Smirnov", "Kuznetsov", "Popov", "Sokolov", "Lebedev", "Kozlov", "Novikov", "Morozov", "Volkov",
	"Martin", "Bernard", "Dubois", "Muller", "Schmidt", "Schneider", "Fischer", "Rossi", "Russo", "Ferrari",
	"Okafor", "Adeyemi", "Mensah", "Mwangi", "Dlamini", "Nkosi", "Banda", "Tesfaye", "Osei", "Diallo",
	"Yilmaz", "Kaya", "Demir", "Sahin", "Hosseini", "Ahmadi", "Mohammadi", "Tran", "Le", "Pham",
	"Hansen", "Johansson", "Nielsen", "Larsen", "Nowak", "Kowalski", "Wisniewski", "Silva", "Santos", "Oliveira",
}

// CompanyWords build ordinary company names.
var (
	CompanyHeads = []string{
		"Acme", "Blue River", "Sunrise", "Northwind", "Greenfield", "Silver Oak", "Atlas", "Pioneer", "Summit",
		"Evergreen", "Horizon", "Golden Gate", "Riverside", "Lakeside", "Redwood", "Maple", "Cedar", "Harbor",
		"Coastal", "Mountain View", "Prairie", "Metro", "City", "Union", "National", "Royal", "Star", "Eagle",
		"Lion", "Phoenix", "Delta", "Alpha", "Omega", "Vertex", "Nova", "Apex", "Crystal", "Diamond", "Pearl",
		"Sapphire", "Emerald", "Falcon", "Orion", "Zenith", "Fusion", "Bright", "Swift", "Prime", "Smart",
		"Johnson", "Miller", "Garcia", "Chen", "Patel", "Nguyen", "Kowalski", "Schmidt", "Rossi", "Tanaka",
	}
	CompanyMids = []string{
		"Trading", "Logistics", "Foods", "Consulting", "Software", "Construction", "Textiles", "Motors",
		"Pharmaceuticals", "Energy", "Bakery", "Dental Care", "Real Estate", "Media", "Printing", "Furniture",
		"Plastics", "Electronics", "Farms", "Travel", "Insurance", "Capital", "Ventures", "Solutions",
		"Systems", "Design", "Engineering", "Garden Supplies", "Auto Parts", "Healthcare",
	}
	CompanyTails = []string{"Ltd", "LLC", "Inc", "GmbH", "S.A.", "Co.", "Limited", "Corporation", "PLC", "Pty Ltd", "SARL", "B.V.", "AG", ""}
)
