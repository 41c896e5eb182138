package extract

import (
	"context"
	"slices"
	"testing"

	"github.com/exportwatch/exportwatch/nlp/nlptest"
	"github.com/google/go-cmp/cmp"
)

// TestExtractParsed holds the grammar-reading extractor to sentences
// written for it: each pattern with a sentence that must fire and one
// alike that must not ("suggest" marks a claim read with too little
// confidence to assert). The companies Orrin Networks and Tallis Vision are
// invented (a unit fixture); the rest are the seed's or the industry list's.
func TestExtractParsed(t *testing.T) {
	w := nlptest.Worker(t)
	g, err := SeedGazetteer()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		text string // one paragraph: the discourse runs through it
		want []string
	}{
		{"active sale", "Sandvine sold its deep packet inspection equipment to the Egyptian authorities in 2019.",
			[]string{"SUPPLIED company/sandvine > body/eg-government"}},
		{"passive sale with agent", "The devices were sold to Turkey's government by Sandvine, according to people familiar with the deal.",
			[]string{"SUPPLIED company/sandvine > body/tr-government"}},
		{"buyer bought a maker's product", "Officials said the Interior Ministry had bought Pegasus software produced by Israel's NSO Group.",
			[]string{"SUPPLIED company/nso-group > new:Interior Ministry"}},
		{"passive buying, maker in a relative", "Spyware developed by the little-known Orrin Networks was acquired by Egypt years before the uprising.",
			[]string{"SUPPLIED new:Orrin Networks > country:EG"}},
		{"provide with", "Orrin Networks Ltd. provided the Sudanese authorities with interception gear.",
			[]string{"SUPPLIED new:Orrin Networks Ltd. > body/sd-government"}},
		{"pronoun across sentences", "Orrin Networks Ltd. is based in Cyprus. It later shipped the system to Azerbaijan's government.",
			[]string{"SUPPLIED new:Orrin Networks Ltd. > body/az-government"}},
		{"customers named in a list", "Authorities in Egypt, Sudan and Russia were named as Sandvine's customers in the leaked files.",
			[]string{"SUPPLIED company/sandvine > body/eg-government", "SUPPLIED company/sandvine > body/sd-government", "SUPPLIED company/sandvine > body/ru-government"}},
		{"contract with", "The National Police signed a five-year contract with Tallis Vision Inc. for cameras.",
			[]string{"SUPPLIED new:Tallis Vision Inc. > new:National Police"}},
		{"an intermediary", "Sandvine, through Orrin Networks Ltd., delivered the platform to the Egyptian government.",
			[]string{"SUPPLIED company/sandvine > body/eg-government", "SUPPLIED new:Orrin Networks Ltd. > body/eg-government"}},
		{"an acquisition is no supply", "Francisco Partners acquired Sandvine in 2017.",
			[]string{"ACQUIRED_BY company/sandvine > company/francisco-partners"}},
		{"a used thing may be its maker: a suggestion", "Lawyers said Tallis Vision was used by the Hong Kong Police Force to unlock phones.",
			[]string{"suggest SUPPLIED new:Tallis Vision > new:Hong Kong Police Force"}},
		{"customers served", "Orrin Networks Ltd., a software firm, serves government clients, including the State Security Service.",
			[]string{"SUPPLIED new:Orrin Networks Ltd. > new:State Security Service"}},
		{"a sale named by a noun", "The ministry confirmed Egypt's purchase of interception gear from Orrin Networks Ltd. last year.",
			[]string{"SUPPLIED new:Orrin Networks Ltd. > country:EG"}},
		{"a contract won in a place", "In 2018 Tallis Vision Inc. won a contract to install cameras in Kazakhstan.",
			[]string{"SUPPLIED new:Tallis Vision Inc. > body/kz-government"}},
		{"a deal negotiated through a vendor", "A deal with the Ministry of Public Security was negotiated through Orrin Networks Ltd. last year.",
			[]string{"SUPPLIED new:Orrin Networks Ltd. > new:Ministry of Public Security"}},
		{"a contract whose vendor hangs far from it", "The National Police signed a contract worth $3 million in March 2019 with Tallis Vision Inc. for cameras.",
			[]string{"SUPPLIED new:Tallis Vision Inc. > new:National Police"}},
		{"a buyer hires a vendor", "The Interior Ministry hired Tallis Vision Inc. to build the database.",
			[]string{"SUPPLIED new:Tallis Vision Inc. > new:Interior Ministry"}},
		{"the bureau named before", "The Central Anticorruption Bureau was set up in 2006. The bureau bought the system from Orrin Networks Ltd. in 2017.",
			[]string{"SUPPLIED new:Orrin Networks Ltd. > new:Central Anticorruption Bureau"}},
		// Sentences that must not fire.
		{"two companies in one deal are partners", "Orrin Networks Ltd. signed a distribution agreement with Tallis Vision Inc. in 2020.", nil},
		{"a name and its acronym are one party", "Tallis Vision Inc. has contracts with agencies such as Immigration and Customs Enforcement (ICE).",
			[]string{"SUPPLIED new:Tallis Vision Inc. > new:Immigration and Customs Enforcement"}},
		{"a sale denied by a noun", "Orrin Networks Ltd. denied any sale of its tools to Egypt's government.", nil},
		{"a newspaper is no company of the page", "El Diario reported the findings. It said the police were pleased.", nil},
		{"a guess is a suggestion", "Sandvine may have sold the equipment to the Egyptian authorities.",
			[]string{"suggest SUPPLIED company/sandvine > body/eg-government"}},
		{"a denial is a denial", "Sandvine denied selling the equipment to the Egyptian authorities.",
			[]string{"denies SUPPLIED company/sandvine > body/eg-government"}},
		{"a researcher is no seller", "Citizen Lab provided the Egyptian authorities with a copy of its report.", nil},
		{"who deployed it for whom is not said: a suggestion", "The technology deployed by an Israeli firm, Orrin Networks Ltd., was found in Egypt.",
			[]string{"suggest SUPPLIED new:Orrin Networks Ltd. > country:EG"}},
		{"named together, but denied", "Orrin Networks Ltd. denied that its equipment reached Egypt.", nil},
		{"named together, two vendors: no guess", "Orrin Networks Ltd. and Tallis Vision Inc. both showed equipment to Egypt's buyers at the fair.", nil},
		{"a company's home is no buyer", "Japan's Tallis Vision Inc. delivered cameras last year.", nil},
		{"the product is no buyer", "NSO Group sold Pegasus through a European reseller.", nil},
		{"a product sold stands for its maker", "Prosecutors say Predator was sold to Egypt's government in 2021.",
			[]string{"SUPPLIED company/cytrox-ad > body/eg-government"}},
		{"a product bought names its maker", "Documents show that the Interior Ministry bought Pegasus in 2017.",
			[]string{"SUPPLIED company/nso-group > new:Interior Ministry"}},
		{"a product whose maker is not known names none", "The ministry bought Orrin Lens, according to the invoice.", nil},
		{"a product bought, denied: its maker's denial", "The Turkish government never bought PacketLogic, a spokesman said.",
			[]string{"denies SUPPLIED company/sandvine > body/tr-government"}},
		// The industry list's vendors and the readings added with it.
		{"customers listed after a colon", "The report lists these countries as likely hosts of Circles customers: Chile, Ghana, Kenya, Mexico, Peru and Thailand",
			[]string{"SUPPLIED new:Circles > country:CL", "SUPPLIED new:Circles > country:GH", "SUPPLIED new:Circles > country:KE",
				"SUPPLIED new:Circles > country:MX", "SUPPLIED new:Circles > country:PE", "SUPPLIED new:Circles > country:TH"}},
		{"a list after a colon without customers", "The researchers listed the countries they visited: Chile, Ghana, Kenya, Mexico, Peru and Thailand", nil},
		{"majority-owned by", "Tallis Vision Inc. has been majority-owned since 2015 by Orrin Networks Ltd., a holding company.",
			[]string{"OWNS new:Orrin Networks Ltd. > new:Tallis Vision Inc."}},
		{"took control of", "Orrin Networks Ltd. took control of Tallis Vision Inc. in 2019 after a long fight.",
			[]string{"ACQUIRED_BY new:Tallis Vision Inc. > new:Orrin Networks Ltd."}},
		{"took control of no company", "Orrin Networks Ltd. took control of the market for cameras in 2019.", nil},
		{"absorbed into", "Tallis Vision Inc. was absorbed into Orrin Networks Ltd. in 2010.",
			[]string{"ACQUIRED_BY new:Tallis Vision Inc. > new:Orrin Networks Ltd."}},
		{"acquired it", "Tallis Vision Inc. changed hands in 2014, when Orrin Networks Ltd. acquired it.",
			[]string{"ACQUIRED_BY new:Tallis Vision Inc. > new:Orrin Networks Ltd."}},
		{"a state's arm", "In-Q-Tel, the CIA's venture capital arm, put money into the firm.",
			[]string{"OWNS new:CIA > new:In-Q-Tel"}},
		{"the subsidiary of the company named before", "Orrin Networks Ltd. makes cameras. Orrin Networks GmbH, the German subsidiary of the company, signed the contract.",
			[]string{"OWNS new:Orrin Networks Ltd. > new:Orrin Networks GmbH"}},
		{"a venture of companies is no company named before", "Orrin Networks Ltd. makes cameras. Tallis Vision Inc., a venture of two Japanese companies, resells them.", nil},
		{"spent on a product", "The Interior Ministry spent $2 million on StingRay equipment in 2015.",
			[]string{"SUPPLIED new:Harris Corporation > new:Interior Ministry"}},
		{"a customer in a country", "A customer in Bahrain had been using FinSpy for two years.",
			[]string{"SUPPLIED new:FinFisher > body/bh-government"}},
		{"who holds what was sold bought it", "Uganda's government is rolling out a network of cameras supplied by Tallis Vision Inc. this year.",
			[]string{"SUPPLIED new:Tallis Vision Inc. > country:UG"}},
		{"who criticises what was sold holds none of it: a suggestion at most", "Britain's government criticised China over cameras supplied by Tallis Vision Inc. last year.",
			[]string{"suggest SUPPLIED new:Tallis Vision Inc. > country:CN"}},
		{"contracted with", "The Interior Ministry contracted in 2019 with Tallis Vision Inc. for cameras.",
			[]string{"SUPPLIED new:Tallis Vision Inc. > new:Interior Ministry"}},
		{"a region uses a vendor-based system", "North Rhine-Westphalia has been using a Palantir-based system since 2017.",
			[]string{"SUPPLIED new:Palantir > new:North Rhine-Westphalia"}},
		{"an intention is a suggestion", "The Interior Ministry was preparing to buy more licences from Tallis Vision Inc. last year.",
			[]string{"suggest SUPPLIED new:Tallis Vision Inc. > new:Interior Ministry"}},
		{"an end of sales is a suggestion", "Tallis Vision Inc. said it would stop selling to Egypt's government.",
			[]string{"suggest SUPPLIED new:Tallis Vision Inc. > body/eg-government"}},
		{"not known to have delivered: a doubt, a suggestion", "Tallis Vision Inc. is not known to have delivered anything to Egypt's government.",
			[]string{"suggest SUPPLIED new:Tallis Vision Inc. > body/eg-government"}},
		{"a negated verb the sale completes is a denial", "Tallis Vision Inc. did not appear to sell anything to Egypt's government.",
			[]string{"denies SUPPLIED new:Tallis Vision Inc. > body/eg-government"}},
		// Not saying when it sold them says it sold them.
		{"not saying when is no denial", "Tallis Vision Inc. did not say when it sold the devices to Egypt's government.",
			[]string{"SUPPLIED new:Tallis Vision Inc. > body/eg-government"}},
		{"a product named before is what 'it' is", "Sandvine offers PacketLogic, and Telecom Egypt bought it in 2016.",
			[]string{"SUPPLIED company/sandvine > company/telecom-egypt"}},
		{"two companies contracting: no sale", "Sandvine contracted with Türk Telekom in 2016 to deploy the devices.", nil},
		{"a unit merged is no company merged", "Siemens's voice-intelligence unit was merged into Orrin Networks Ltd. in 2009.", nil},
		{"potential customers are none", "The brochure lists potential Circles customers: Chile, Ghana, Kenya, Mexico, Peru and Thailand", nil},
		{"who reports is no party", "The implant was found deployed in Kazakhstan, according to an analysis published by the security company Lookout.", nil},
		{"the software named before", "Tallis Vision Inc. makes phone-extraction software. The Interior Ministry bought the software in 2019.",
			[]string{"SUPPLIED new:Tallis Vision Inc. > new:Interior Ministry"}},
		{"from hung on the thing's name", "Egypt's army bought a system called Lens from Tallis Vision Inc. in 2018.",
			[]string{"SUPPLIED new:Tallis Vision Inc. > new:Egypt's army"}},
		{"a body's acronym named before", "The Rapid Action Battalion is widely feared. The RAB had been using Tallis Vision Inc.'s software.",
			[]string{"SUPPLIED new:Tallis Vision Inc. > new:Rapid Action Battalion"}},
		{"installed, as the parser lemmatises it", "PacketLogic devices were installed on the network of Türk Telekom in 2016.",
			[]string{"SUPPLIED company/sandvine > company/turk-telekom"}},
		{"a surname is no vendor", "Vice President Kamala Harris met the Interior Ministry's officials, who bought nothing.", nil},
		// Ownership told by a participle or a relative clause the parse
		// hangs away from the owned company, and by "its parent, Y".
		{"owned, in a relative clause", "Tallis Vision Inc., which is majority-owned by Japan's Orrin Networks Ltd., declined to comment.",
			[]string{"OWNS new:Orrin Networks Ltd. > new:Tallis Vision Inc."}},
		{"owned, a participle after a place", "Tallis Vision Inc., headquartered in Haifa and majority-owned since 2011 by the British group Orrin Networks Ltd., declined to comment.",
			[]string{"OWNS new:Orrin Networks Ltd. > new:Tallis Vision Inc."}},
		{"based in a place owned by no one", "Tallis Vision Inc., headquartered in Haifa, was praised by Orrin Networks Ltd. last year.", nil},
		{"its parent, named beside it", "The sanctions covered Tallis Vision Inc., the developer of a camera system, together with its parent, Orrin Networks Ltd.",
			[]string{"OWNS new:Orrin Networks Ltd. > new:Tallis Vision Inc."}},
		{"its, the subject of the clause above", "Tallis Vision Inc. renamed itself Kestrel Optics Ltd. after its owner, Orrin Networks Ltd., bought a rival.",
			[]string{"OWNS new:Orrin Networks Ltd. > new:Tallis Vision Inc."}},
		{"a parent with no its is no owner here", "The sanctions covered Tallis Vision Inc. and a parent company, Orrin Networks Ltd., last year.", nil},
		// "it" as a seller is the company its own sentence named before it,
		// and "the firm X" is X however the parse hangs it.
		{"it, named before in its own sentence", "Kestrel Optics Ltd. sold cameras to Egypt's government. Emails leaked from Orrin Networks Ltd. in 2015 showed that it and the Israeli firm Tallis Vision Inc., which acted as its reseller, had sold probes to the Uganda Police Force.",
			[]string{"SUPPLIED new:Kestrel Optics Ltd. > body/eg-government", "SUPPLIED new:Orrin Networks Ltd. > new:Uganda Police Force", "SUPPLIED new:Tallis Vision Inc. > new:Uganda Police Force"}},
		// Sellers said as "two companies" and named after a colon; the
		// buyers before it, each after its own "to".
		{"sellers listed after a colon", "A report found that two companies had supplied such centres to Kazakhstan's National Security Committee and to Uzbekistan's National Security Service: Orrin Networks Ltd., the local arm of Kestrel Optics Ltd., and Tallis Vision Inc.",
			[]string{"SUPPLIED new:Orrin Networks Ltd. > new:National Security Committee", "SUPPLIED new:Orrin Networks Ltd. > new:National Security Service",
				"SUPPLIED new:Tallis Vision Inc. > new:National Security Committee", "SUPPLIED new:Tallis Vision Inc. > new:National Security Service",
				"OWNS new:Kestrel Optics Ltd. > new:Orrin Networks Ltd."}},
		{"a named seller, and names after a colon that are none", "Orrin Networks Ltd. had supplied such centres to Kazakhstan's National Security Committee, with two partners: Kestrel Optics Ltd. and Tallis Vision Inc.",
			[]string{"SUPPLIED new:Orrin Networks Ltd. > new:National Security Committee"}},
		// "it" bought is what the sentence is about, and whom a company was
		// bought from sold no goods.
		{"it acquired is the sentence's subject", "Kestrel Optics Ltd. has been owned since 2019 by Orrin Networks Ltd., a fund that bought it from Tallis Vision Inc., which had acquired it in 2014.",
			[]string{"OWNS new:Orrin Networks Ltd. > new:Kestrel Optics Ltd.", "ACQUIRED_BY new:Kestrel Optics Ltd. > new:Orrin Networks Ltd.", "ACQUIRED_BY new:Kestrel Optics Ltd. > new:Tallis Vision Inc."}},
		// Ownership said with a stake, a takeover, an acquisition named by
		// a noun, or "Y-owned X"; a business taken over is no goods.
		{"a stake bought", "Orrin Networks Ltd. bought a majority stake in Kestrel Optics Ltd. in 2019.",
			[]string{"OWNS new:Orrin Networks Ltd. > new:Kestrel Optics Ltd."}},
		{"a stake held", "Orrin Networks Ltd. holds a 40 percent stake in Kestrel Optics Ltd.",
			[]string{"OWNS new:Orrin Networks Ltd. > new:Kestrel Optics Ltd."}},
		{"a stake in a project is no ownership", "Orrin Networks Ltd. holds a 40 percent stake in the camera project.", nil},
		{"an acquisition named by a noun", "Orrin Networks Ltd.'s acquisition of Kestrel Optics Ltd. was completed in 2018.",
			[]string{"ACQUIRED_BY new:Kestrel Optics Ltd. > new:Orrin Networks Ltd."}},
		{"an acquisition named by a noun that did not happen", "Orrin Networks Ltd.'s acquisition of Kestrel Optics Ltd. did not happen.", nil},
		{"an acquisition named by a noun that may have happened", "Orrin Networks Ltd.'s acquisition of Kestrel Optics Ltd. may have happened in 2018.", nil},
		{"taken over", "Kestrel Optics Ltd. was taken over by Orrin Networks Ltd. in 2018.",
			[]string{"ACQUIRED_BY new:Kestrel Optics Ltd. > new:Orrin Networks Ltd."}},
		{"owned, before the name", "The probes were sold by the Francisco Partners-owned Sandvine to several governments.",
			[]string{"OWNS company/francisco-partners > company/sandvine"}},
		{"a unit taken over is no goods", "Kestrel Optics Ltd. took over Orrin Networks Ltd.'s intelligence unit in 2009.", nil},
		// Using a company's service is buying it; operating its network
		// is not.
		{"a company's own network used is bought from no one", "Kestrel Optics Ltd. and Orrin Networks Ltd. operate Tallis Vision Inc.'s network through a joint venture.", nil},
		{"a company's service used", "The Interior Ministry had used Tallis Vision Inc.'s service during the unrest.",
			[]string{"SUPPLIED new:Tallis Vision Inc. > new:Interior Ministry"}},
		// Customers said with "among" and "include", contracts awarded,
		// and a vendor hired, in the passive too; a licence granted by a
		// regulator is no sale.
		{"counted among its clients", "Orrin Networks Ltd. counts Egypt's Interior Ministry among its clients.",
			[]string{"SUPPLIED new:Orrin Networks Ltd. > new:Interior Ministry"}},
		{"among the customers", "The Interior Ministry of Egypt is among the customers of Orrin Networks Ltd.",
			[]string{"SUPPLIED new:Orrin Networks Ltd. > new:Interior Ministry of Egypt"}},
		{"its clients include", "Orrin Networks Ltd.'s clients include the Egyptian government.",
			[]string{"SUPPLIED new:Orrin Networks Ltd. > body/eg-government"}},
		{"a contract awarded to a vendor", "A contract was awarded to Orrin Networks Ltd. by the Interior Ministry of Egypt in 2019.",
			[]string{"SUPPLIED new:Orrin Networks Ltd. > new:Interior Ministry of Egypt"}},
		{"a vendor awarded a contract", "The Interior Ministry of Egypt awarded Orrin Networks Ltd. a contract for cameras in 2019.",
			[]string{"SUPPLIED new:Orrin Networks Ltd. > new:Interior Ministry of Egypt"}},
		{"a vendor hired, in the passive", "Orrin Networks Ltd. was hired by the Interior Ministry of Egypt to install cameras.",
			[]string{"SUPPLIED new:Orrin Networks Ltd. > new:Interior Ministry of Egypt"}},
		{"a licence granted is no sale: a suggestion at most", "The Interior Ministry of Egypt had granted Orrin Networks Ltd. an export licence in 2016.",
			[]string{"suggest SUPPLIED new:Orrin Networks Ltd. > country:EG", "suggest SUPPLIED new:Orrin Networks Ltd. > new:Interior Ministry",
				"suggest SUPPLIED new:Orrin Networks Ltd. > new:Interior Ministry of Egypt"}},
		// A state as the object of a verb of selling is the buyer; a state
		// that deploys a vendor's thing got it from the vendor, but one
		// that installs spyware on a phone bought nothing from the phone.
		{"sold the ministry a system", "Orrin Networks Ltd. sold the Interior Ministry of Egypt a monitoring system in 2019.",
			[]string{"SUPPLIED new:Orrin Networks Ltd. > new:Interior Ministry of Egypt"}},
		{"supplied a ministry", "Orrin Networks Ltd. has supplied Egypt's Interior Ministry since 2015.",
			[]string{"SUPPLIED new:Orrin Networks Ltd. > new:Interior Ministry"}},
		{"a state deployed a vendor's cameras", "The Interior Ministry of Egypt deployed Orrin Networks Ltd.'s cameras across Cairo in 2019.",
			[]string{"SUPPLIED new:Orrin Networks Ltd. > new:Interior Ministry of Egypt"}},
		{"a state rolled out a vendor's system", "Egypt's police rolled out a facial recognition system from Orrin Networks Ltd. in 2019.",
			[]string{"SUPPLIED new:Orrin Networks Ltd. > new:Egypt's police"}},
		// A payee is the vendor; "whose clients"; "the parent company of";
		// "part of".
		{"paid a vendor", "Egypt's Interior Ministry paid Orrin Networks Ltd. $3 million for the cameras.",
			[]string{"SUPPLIED new:Orrin Networks Ltd. > new:Interior Ministry"}},
		{"whose clients include", "Orrin Networks Ltd., whose clients include the Interior Ministry of Egypt, declined to comment.",
			[]string{"SUPPLIED new:Orrin Networks Ltd. > new:Interior Ministry of Egypt"}},
		{"the parent company of", "Kestrel Optics Ltd., the parent company of Orrin Networks Ltd., declined to comment.",
			[]string{"OWNS new:Kestrel Optics Ltd. > new:Orrin Networks Ltd."}},
		{"part of a company", "Orrin Networks Ltd. became part of Kestrel Optics Ltd. in 2015.",
			[]string{"OWNS new:Kestrel Optics Ltd. > new:Orrin Networks Ltd."}},
		{"part of an alliance named for a company is no ownership", "Orrin Networks Ltd. became part of the Intellexa alliance in 2019.", nil},
		// A state's forces or agencies in or of a country are its state;
		// a deal between a company and a state was a sale when it is said
		// to be made, a suggestion when only named.
		{"police forces in countries", "Orrin Networks Ltd. provides its software to police forces in Kenya and Uganda.",
			[]string{"SUPPLIED new:Orrin Networks Ltd. > country:KE", "SUPPLIED new:Orrin Networks Ltd. > country:UG"}},
		{"the armed forces of a country", "Orrin Networks Ltd. also sells to the armed forces of Egypt.",
			[]string{"SUPPLIED new:Orrin Networks Ltd. > body/eg-government"}},
		{"a deal between them, signed", "A deal between Orrin Networks Ltd. and the Interior Ministry of Egypt was signed in 2019.",
			[]string{"SUPPLIED new:Orrin Networks Ltd. > new:Interior Ministry of Egypt"}},
		{"a deal between them, only named", "Details of a deal between Orrin Networks Ltd. and the Interior Ministry of Egypt remain unknown.",
			[]string{"suggest SUPPLIED new:Orrin Networks Ltd. > new:Interior Ministry of Egypt"}},
		// "one of X's customers", relying on a vendor's software, a thing
		// bought in a relative clause, licences for a thing, and a
		// contract with a vendor.
		{"one of its customers", "The Interior Ministry of Egypt, one of Orrin Networks Ltd.'s customers, declined to comment.",
			[]string{"SUPPLIED new:Orrin Networks Ltd. > new:Interior Ministry of Egypt"}},
		{"relies on a vendor's software", "The Interior Ministry of Egypt relies on Orrin Networks Ltd.'s software.",
			[]string{"SUPPLIED new:Orrin Networks Ltd. > new:Interior Ministry of Egypt"}},
		{"a thing the buyer bought, in a relative clause", "Orrin Networks Ltd.'s equipment, which the Interior Ministry of Egypt bought in 2019, was later upgraded.",
			[]string{"SUPPLIED new:Orrin Networks Ltd. > new:Interior Ministry of Egypt"}},
		{"licences for a vendor's software", "The Interior Ministry of Egypt purchased licences for Orrin Networks Ltd.'s software in 2019.",
			[]string{"SUPPLIED new:Orrin Networks Ltd. > new:Interior Ministry of Egypt"}},
		{"under a contract with a vendor", "Under a contract with Orrin Networks Ltd., the Interior Ministry of Egypt received 300 cameras.",
			[]string{"SUPPLIED new:Orrin Networks Ltd. > new:Interior Ministry of Egypt"}},
		{"a vendor's contract with a state, renewed", "Orrin Networks Ltd.'s contract with the Interior Ministry of Egypt was renewed in 2021.",
			[]string{"SUPPLIED new:Orrin Networks Ltd. > new:Interior Ministry of Egypt"}},
		// A company sold to a company was acquired; "X, a Y company" is
		// owned by Y, and Y sold nothing for being named there.
		{"a company sold", "Tallis Vision Inc. sold Kestrel Optics Ltd. to Orrin Networks Ltd. in 2018.",
			[]string{"ACQUIRED_BY new:Kestrel Optics Ltd. > new:Orrin Networks Ltd."}},
		{"a company was sold", "Kestrel Optics Ltd. was sold to Orrin Networks Ltd. in 2018.",
			[]string{"ACQUIRED_BY new:Kestrel Optics Ltd. > new:Orrin Networks Ltd."}},
		{"a company of another", "Kestrel Optics Ltd., an Orrin Networks Ltd. company, sold the system to the Interior Ministry of Egypt.",
			[]string{"OWNS new:Orrin Networks Ltd. > new:Kestrel Optics Ltd.", "SUPPLIED new:Kestrel Optics Ltd. > new:Interior Ministry of Egypt"}},
		{"a portfolio company", "Kestrel Optics Ltd., a Francisco Partners portfolio company, declined to comment.",
			[]string{"OWNS company/francisco-partners > new:Kestrel Optics Ltd."}},
		// From a cold review: sentences alike that must not make a claim,
		// and the passive readings that must.
		{"an interest taken is no stake", "The FBI took an interest in NSO Group last year.", nil},
		{"a nondisclosure agreement with a state is no sale", "Orrin Networks Ltd.'s nondisclosure agreement with the Interior Ministry of Egypt was signed in 2019.",
			[]string{"suggest SUPPLIED new:Orrin Networks Ltd. > country:EG", "suggest SUPPLIED new:Orrin Networks Ltd. > new:Interior Ministry",
				"suggest SUPPLIED new:Orrin Networks Ltd. > new:Interior Ministry of Egypt"}},
		{"a list after a colon ends at a semicolon", "A report found that two companies supplied probes to Egypt's government: Orrin Networks Ltd. and Tallis Vision Inc.; Kestrel Optics Ltd. was not involved.",
			[]string{"SUPPLIED new:Orrin Networks Ltd. > body/eg-government", "SUPPLIED new:Tallis Vision Inc. > body/eg-government"}},
		{"engineers hired are no vendor", "Former Orrin Networks Ltd. engineers were hired by Tallis Vision Inc. in 2019.", nil},
		{"a company paying a company for no thing bought nothing", "Kestrel Optics Ltd. paid $5 million to Orrin Networks Ltd. to settle the lawsuit.", nil},
		{"relying on a company for advice is no purchase", "The Interior Ministry of Egypt relies on Orrin Networks Ltd. for advice.", nil},
		{"licences for a thing, bought in the passive", "Licences for Orrin Networks Ltd.'s software were purchased by the Interior Ministry of Egypt in 2019.",
			[]string{"SUPPLIED new:Orrin Networks Ltd. > new:Interior Ministry of Egypt"}},
		{"paid for licences for a thing", "The Interior Ministry of Egypt paid for licences for Orrin Networks Ltd.'s software in 2019.",
			[]string{"SUPPLIED new:Orrin Networks Ltd. > new:Interior Ministry of Egypt"}},
		{"a vendor awarded a contract, in the passive", "Orrin Networks Ltd. was awarded a contract by the Interior Ministry of Egypt in 2019.",
			[]string{"SUPPLIED new:Orrin Networks Ltd. > new:Interior Ministry of Egypt"}},
		{"a name that leads a longer name without a possessive is part of it", "China Telecom Global Corporation sold the cameras to Egypt's government.",
			[]string{"SUPPLIED new:China Telecom Global Corporation > body/eg-government"}},
		// Customers in a country: the country bought.
		{"customers in countries", "Researchers said they had found Sandvine customers in Bangladesh and Poland.",
			[]string{"SUPPLIED company/sandvine > country:BD", "SUPPLIED company/sandvine > country:PL"}},
		{"customers in a sector are no party", "Researchers said they had found Sandvine customers in the banking sector.", nil},
		// A sale tried or ended is no sale.
		{"an effort to sell is a suggestion", "An earlier effort by Tallis Vision Inc. to sell cameras to Egypt's government fell through.",
			[]string{"suggest SUPPLIED new:Tallis Vision Inc. > country:EG"}},
		{"no longer sells: a denial", "Tallis Vision Inc. would no longer sell cameras to Egypt's government.",
			[]string{"denies SUPPLIED new:Tallis Vision Inc. > body/eg-government"}},
		// "The company" is first a company the sentence named before it;
		// a description in apposition is of the name it hangs on.
		{"the company named before in the sentence", "Tallis Vision Inc. makes cameras. Leaked emails from Orrin Networks Ltd. showed that the Cyprus-based company had sold interception gear to the Sudanese authorities.",
			[]string{"SUPPLIED new:Orrin Networks Ltd. > body/sd-government"}},
		{"a description in apposition is of its name", "Tallis Vision Inc. makes cameras. Researchers said that Orrin Networks Ltd., the interception company, had supplied gear to the Sudanese authorities.",
			[]string{"SUPPLIED new:Orrin Networks Ltd. > body/sd-government"}},
		{"a proper name in apposition to a description", "Tallis Vision Inc. makes cameras. The third company, Quorvex, sold its software to the Sudanese authorities.",
			[]string{"SUPPLIED new:Quorvex > body/sd-government"}},
		{"its own product is the seller's", "Orrin Networks Ltd. sold its Kestrel software to the Sudanese authorities.",
			[]string{"SUPPLIED new:Orrin Networks Ltd. > body/sd-government"}},
		// Ownership by the copula.
		{"a subsidiary of a group named after the noun", "Orrin Networks Ltd. was for years a subsidiary of the defence group Tallis Vision Inc.",
			[]string{"OWNS new:Tallis Vision Inc. > new:Orrin Networks Ltd."}},
		{"never a subsidiary", "Orrin Networks Ltd. was never a subsidiary of the defence group Tallis Vision Inc.", nil},
		{"its shareholder is", "Orrin Networks Ltd.'s largest shareholder is Francisco Partners.",
			[]string{"OWNS company/francisco-partners > new:Orrin Networks Ltd."}},
		{"whose shareholder is", "Tallis Vision Inc. is a listed company whose largest shareholder is Francisco Partners.",
			[]string{"OWNS company/francisco-partners > new:Tallis Vision Inc."}},
		{"its customer is no owner", "Orrin Networks Ltd.'s largest customer is Francisco Partners.", nil},
		{"a parent of a company named before: a suggestion", "Orrin Networks Ltd. makes cameras. The company's parent is Francisco Partners.",
			[]string{"suggest OWNS company/francisco-partners > new:Orrin Networks Ltd."}},
		{"a company acquired by its corporate form", "Tallis Vision Inc.'s legal entity, Tallis Holdings Ltd., was acquired by Orrin Networks Ltd. in 2021.",
			[]string{"ACQUIRED_BY new:Tallis Vision Inc. > new:Orrin Networks Ltd.", "ACQUIRED_BY new:Tallis Holdings Ltd. > new:Orrin Networks Ltd."}},
		{"a company's goods acquired", "Tallis Vision Inc.'s cameras were acquired by Orrin Networks Ltd. in 2021.",
			[]string{"SUPPLIED new:Tallis Vision Inc. > new:Orrin Networks Ltd."}},
		// Custom.
		{"a product's customer: a suggestion", "Azerbaijan became a Pegasus customer in 2017.",
			[]string{"suggest SUPPLIED company/nso-group > country:AZ"}},
		{"a potential customer is none", "Azerbaijan was a potential Pegasus customer in 2017.", nil},
		{"a demonym's bodies", "Orrin Networks Ltd. sold its software to Egyptian public security bodies.",
			[]string{"SUPPLIED new:Orrin Networks Ltd. > body/eg-government"}},
		{"bodies of no state", "Orrin Networks Ltd. sold its software to public security bodies.", nil},
		{"a contract won to supply", "Tallis Vision Inc. won a contract in 2015 to supply cameras to the Ministry of Public Security.",
			[]string{"SUPPLIED new:Tallis Vision Inc. > new:Ministry of Public Security"}},
		{"a contract bid for and lost: a suggestion", "Tallis Vision Inc. bid for a contract to supply cameras to the Ministry of Public Security but lost.",
			[]string{"suggest SUPPLIED new:Tallis Vision Inc. > new:Ministry of Public Security"}},
		// What a cold review found these readings doing wrong.
		{"the company is not who speaks of it", "NSO Group makes Pegasus. Francisco Partners, which invested in 2014, said the company had sold Pegasus to the Mexican government.",
			[]string{"SUPPLIED company/nso-group > body/mx-government"}},
		{"a company's company bought is no acquisition of it", "Orrin Networks Ltd. acquired Tallis Vision Inc.'s Hungarian company in 2020.", nil},
		{"a future owner", "If the sale goes through, Orrin Networks Ltd.'s new owner will be Francisco Partners.", nil},
		{"a former owner", "Orrin Networks Ltd.'s former owner was Francisco Partners.", nil},
		{"a licence obtained is no sale", "Orrin Networks Ltd. obtained a licence to export interception gear to the Ministry of Public Security.", []string{"suggest SUPPLIED new:Orrin Networks Ltd. > new:Ministry of Public Security"}},
		{"a contract it expects to win", "Tallis Vision Inc. expects that it will win a contract to supply cameras to the Ministry of Public Security.",
			[]string{"suggest SUPPLIED new:Tallis Vision Inc. > new:Ministry of Public Security"}},
		{"bodies that are not the state's: a suggestion at most", "Orrin Networks Ltd. sold its software to Egyptian student bodies.",
			[]string{"suggest SUPPLIED new:Orrin Networks Ltd. > country:EG"}},
		{"a person in apposition is no company", "The contractor, John Smith, sold cameras to the Sudanese authorities.", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			docs, err := w.Parse(context.Background(), []string{tc.text})
			if err != nil {
				t.Fatal(err)
			}
			var d Discourse
			var got []string
			for _, s := range docs[0] {
				for _, f := range g.ExtractParsed(s, &d) {
					if f.Confidence < SuggestBelow {
						got = append(got, "suggest "+f.String())
					} else {
						got = append(got, f.String())
					}
				}
			}
			slices.Sort(got)
			want := slices.Clone(tc.want)
			slices.Sort(want)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("%s\n(-want +got):\n%s", tc.text, diff)
			}
		})
	}
}

// TestDoubtsKeepAConfidence holds decorate to a confidence within [0, 1]
// however many doubts a reading gathers: a guess that is hedged, about a
// party no one knows, was once read below zero.
func TestDoubtsKeepAConfidence(t *testing.T) {
	for _, start := range []float64{-0.4, 0.1, 0.3, 1.4} {
		f := Found{Confidence: start}
		decorate("Orrin Networks Ltd. may have sold the system to Egypt.", &f)
		if f.Confidence < 0 || f.Confidence > 1 {
			t.Errorf("from %.2f, a hedged guess reads %.2f", start, f.Confidence)
		}
	}
}

// TestWhatIsNotASale holds decorate to leaving as suggestions the sales a
// sentence says were intended or ended, not made.
func TestWhatIsNotASale(t *testing.T) {
	for _, s := range []string{
		"Orrin Networks Ltd. said it would stop selling to Egypt's government.",
		"The ministry was preparing to buy more licences from Orrin Networks Ltd.",
		"Orrin Networks Ltd. halted sales to Egypt in 2020.",
	} {
		f := Found{Relation: "SUPPLIED", Confidence: 0.7}
		decorate(s, &f)
		if f.Confidence >= SuggestBelow {
			t.Errorf("%s: confidence %.2f, a claim; want a suggestion (%v)", s, f.Confidence, f.Reasons)
		}
	}
	f := Found{Relation: "SUPPLIED", Confidence: 0.7}
	if decorate("Orrin Networks Ltd. sold the system to Egypt in 2020.", &f); f.Confidence < SuggestBelow {
		t.Errorf("a plain sale reads %.2f (%v)", f.Confidence, f.Reasons)
	}
}

// TestSource holds Source to names given as who reports, not to names
// after what a report is made of.
func TestSource(t *testing.T) {
	g, err := SeedGazetteer()
	if err != nil {
		t.Fatal(err)
	}
	for sentence, want := range map[string]bool{
		"The implant was found in Egypt, according to an analysis published by the security company Sandvine.": true,
		"According to court filings Sandvine sold the devices to the Egyptian government.":                     false,
		"Sandvine sold the devices to the Egyptian government, the ministry said.":                             false,
	} {
		i := slices.IndexFunc(g.Find(sentence), func(m Mention) bool { return m.Text == "Sandvine" })
		if i < 0 {
			t.Fatalf("%s: no Sandvine", sentence)
		}
		if got := Source(sentence, g.Find(sentence)[i]); got != want {
			t.Errorf("Source(%q, Sandvine) = %v, want %v", sentence, got, want)
		}
	}
}

// TestVetPatterns holds VetPatterns to suggesting, not asserting, a sale
// whose seller the parse puts inside the description of another party,
// and to leaving a seller whose own clause tells the sale.
func TestVetPatterns(t *testing.T) {
	w := nlptest.Worker(t)
	g, err := SeedGazetteer()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		text   string
		seller string
		claim  bool
	}{
		{"Kestrel Optics Ltd., a firm run by former staff of Tallis Vision Inc., sold probes to Egypt's government in 2014.", "Tallis Vision Inc.", false},
		{"Kestrel Optics Ltd. grew out of Tallis Vision Inc., the company that sold probes to Egypt's government in 2014.", "Tallis Vision Inc.", true},
		// Goods of a company are not a description of another party.
		{"Some of Tallis Vision Inc.'s probes were sold to Egypt's government in 2014.", "Tallis Vision Inc.", true},
		// The agent of a clause describing the seller bought it, or made
		// what it sold.
		{"Kestrel Optics Ltd., a firm that was acquired by Tallis Vision Inc. in 2010, sold probes to Egypt's government in 2014.", "Tallis Vision Inc.", false},
		{"The probes, which were made by Tallis Vision Inc., sold to Egypt's government in 2014.", "Tallis Vision Inc.", true},
		{"Spyware distributed by Tallis Vision Inc. was sold to Egypt's government in 2014.", "Tallis Vision Inc.", true},
	} {
		docs, err := w.Parse(context.Background(), []string{tc.text})
		if err != nil {
			t.Fatal(err)
		}
		var seen bool
		for _, f := range VetPatterns(docs[0][0], g.Extract(tc.text)) {
			if f.Relation != "SUPPLIED" || f.Subject.Text != tc.seller {
				continue
			}
			seen = true
			if got := f.Confidence >= SuggestBelow; got != tc.claim {
				t.Errorf("%s: %s sold, confidence %.2f (%v); want a claim: %v", tc.text, tc.seller, f.Confidence, f.Reasons, tc.claim)
			}
		}
		if !seen {
			t.Errorf("%s: the patterns read no sale by %s", tc.text, tc.seller)
		}
	}
}
