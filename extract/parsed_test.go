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
// invented (a unit fixture); the rest are the seed's.
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
		{"the product is no buyer", "NSO Group sold Pegasus through a European reseller.", nil},
		{"a product sold stands for its maker", "Prosecutors say Predator was sold to Egypt's government in 2021.",
			[]string{"SUPPLIED company/cytrox-ad > body/eg-government"}},
		{"a product bought names its maker", "Documents show that the Interior Ministry bought Pegasus in 2017.",
			[]string{"SUPPLIED company/nso-group > new:Interior Ministry"}},
		{"a product whose maker is not known names none", "The ministry bought Orrin Lens, according to the invoice.", nil},
		{"a product bought, denied: its maker's denial", "The Turkish government never bought PacketLogic, a spokesman said.",
			[]string{"denies SUPPLIED company/sandvine > body/tr-government"}},
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
