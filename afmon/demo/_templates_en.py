"""English story templates for the demo corpus generator (make_corpus.py).

Each template is a kind of story afmon's analysts follow, written in the register of Afghan and
regional outlets. Slots: {p} province, {t} a town/district in it, {n} small count, {N} larger
count, {k} hundreds, {pct} percent, {dow} weekday. The generator fills them deterministically.
"""

from __future__ import annotations

from afmon.demo._places import (
    AFF_AREAS,
    ALL,
    AQ_AREAS,
    HAQQANI_AREAS,
    ISK_AREAS,
    NORTH_AREAS,
    NRF_AREAS,
    SOUTH_AREAS,
    TTP_AREAS,
)

# (category, provinces to draw from, titles, summaries). When there are as many summaries as
# titles they are pairs (the n-th summary tells the n-th title's story); otherwise any summary
# fits any title.
Template = tuple[str, tuple[str, ...], tuple[str, ...], tuple[str, ...]]

TEMPLATES: tuple[Template, ...] = (
    # --- NRF and the resistance -------------------------------------------------------------
    (
        "nrf",
        NRF_AREAS,
        (
            "NRF says it killed {n} Taliban fighters in {t}, {p}",
            "Clashes between NRF and Taliban reported in {p}'s {t} district",
            "National Resistance Front claims ambush on Taliban convoy in {t}",
        ),
        (
            "The National Resistance Front said its fighters attacked a Taliban checkpoint in {t} on "
            "{dow} night. A Taliban spokesman denied any casualties and called the claim propaganda.",
            "Local sources in {p} said heavy fighting lasted several hours. The NRF, led by Ahmad "
            "Massoud, said {n} Taliban fighters were killed; the figure could not be verified.",
            "Residents of {t} said the Taliban had sent reinforcements from neighbouring districts "
            "after the NRF attack. Mobile networks in parts of {p} were cut for hours.",
        ),
    ),
    (
        "nrf",
        ("AF-PAN", "AF-BGL"),
        (
            "Taliban launch clearing operation in {t} after NRF attacks",
            "Residents flee {t} as Taliban search homes for resistance fighters",
            "Taliban detain {N} men in {p} accused of links to the NRF",
        ),
        (
            "Residents of {t} in {p} said Taliban fighters went house to house and detained young men "
            "accused of supporting the National Resistance Front. The NRF condemned the arrests.",
            "Rights groups have documented arbitrary detentions in Panjshir and Andarab since 2022. "
            "The Taliban say the operation targets 'rebels', not civilians.",
        ),
    ),
    (
        "nrf",
        ("AF-PAN",),
        (
            "Ahmad Massoud calls for national dialogue in message from abroad",
            "NRF leader Massoud says resistance is active in {n} provinces",
        ),
        (
            "In a video message, Ahmad Massoud said the National Resistance Front was present in "
            "Panjshir, Andarab, Takhar and Badakhshan and called on the UN not to recognise the Taliban.",
            "Massoud urged Tajikistan and the United States to support an inclusive political process. "
            "The Taliban dismissed the statement.",
        ),
    ),
    # --- Afghanistan Freedom Front ------------------------------------------------------------
    (
        "aff",
        AFF_AREAS,
        (
            "Afghanistan Freedom Front claims attack on Taliban post in {p}",
            "AFF says it targeted Taliban intelligence officers in {t}",
            "Freedom Front claims rocket attack on Taliban base in {t}, {p}",
        ),
        (
            "The Afghanistan Freedom Front (AFF), an armed opposition group led by former army "
            "officers, said {n} Taliban members were killed in {t}. The Taliban did not comment.",
            "The AFF said its fighters withdrew safely after the attack in {p}. Local residents "
            "reported gunfire and explosions late on {dow}.",
        ),
    ),
    # --- ISKP --------------------------------------------------------------------------------
    (
        "isk",
        ISK_AREAS,
        (
            "ISKP claims responsibility for bomb blast in {t}, {p}",
            "Explosion in {p} kills {n}; Islamic State Khorasan claims attack",
            "IS-K gunmen kill {n} in attack on Taliban patrol in {t}",
        ),
        (
            "Islamic State Khorasan (ISKP) said in a statement on its Amaq outlet that it targeted "
            "Taliban members in {t}. Hospital sources said {n} people were killed and {N} wounded.",
            "A roadside bomb struck a vehicle carrying Taliban fighters in {p} on {dow}, officials said. "
            "Daesh Khorasan later claimed the attack.",
            "The Taliban's interior ministry said the attackers were killed and that an investigation "
            "had begun. ISKP has carried out repeated attacks on Shia Hazaras and Sufi shrines.",
        ),
    ),
    (
        "isk",
        ("AF-KAB",),
        (
            "Magnetic bomb hits minibus in Kabul's {t}",
            "Blast near mosque in {t}, Kabul; casualties reported",
            "Taliban raid ISKP hideout in Kabul's {t}, say {n} killed",
        ),
        (
            "A magnetic bomb attached to a minibus exploded in {t} in western Kabul, killing at least "
            "{n} passengers. Islamic State Khorasan claimed responsibility.",
            "An explosion near a Shia mosque in {t} during {dow} prayers killed or wounded {N} "
            "worshippers, witnesses said. ISKP has attacked mosques in Kabul before.",
            "Taliban spokesman Zabihullah Mujahid said special forces raided a Daesh cell in {t} and "
            "that {n} militants were killed, including a commander responsible for recent attacks.",
        ),
    ),
    (
        "isk",
        ("AF-NAN", "AF-KDZ", "AF-KNR", "AF-KAB"),
        (
            "Taliban arrest suspected ISKP recruiters in {t}",
            "UN report: ISKP remains most serious threat in Afghanistan and region",
        ),
        (
            "The Taliban's General Directorate of Intelligence said it detained {n} members of "
            "Islamic State Khorasan in {p} who were planning attacks on religious gatherings.",
            "The UN Security Council's monitoring team said ISKP retains around {k} fighters and "
            "continues to recruit from Central Asia, with cells in {p} and Kabul.",
        ),
    ),
    # --- TTP and the Durand Line --------------------------------------------------------------
    (
        "ttp",
        TTP_AREAS,
        (
            "Taliban and Pakistani forces exchange fire on Durand Line near {t}",
            "Pakistan airstrikes hit {p}; Taliban say civilians killed",
            "Border clashes in {p} as Pakistan accuses Kabul of sheltering TTP",
        ),
        (
            "Pakistani and Taliban border forces traded heavy fire near {t} in {p}. Islamabad says "
            "Tehrik-i-Taliban Pakistan (TTP) fighters use Afghan soil to attack its security forces.",
            "Local officials in {p} said Pakistani jets struck houses in {t}, killing {n} people, "
            "including women and children. Pakistan said it targeted TTP hideouts.",
            "The Taliban defence ministry warned Pakistan of 'consequences'. The border crossing at "
            "{t} was closed and traders said hundreds of trucks were stranded.",
        ),
    ),
    (
        "ttp",
        ("AF-KHO", "AF-PKA", "AF-KNR"),
        (
            "TTP claims attack on Pakistani post across from {p}",
            "Pakistani Taliban commander killed in {t}, {p}",
        ),
        (
            "Tehrik-i-Taliban Pakistan said its fighters attacked a Pakistani army post in North "
            "Waziristan near the border with {p}. Pakistan's military said {n} soldiers died.",
            "A senior commander of the Pakistani Taliban was shot dead in {t} by unknown gunmen, "
            "sources said. The TTP blamed Pakistan's ISI for the killing.",
        ),
    ),
    (
        "ttp",
        ("AF-NAN",),
        (
            "Torkham crossing reopens after {n}-day closure",
            "Trade at Torkham halted again as Pakistan tightens border rules",
        ),
        (
            "Traders in Nangarhar said hundreds of trucks carrying fruit and coal were stuck at "
            "Torkham. Pakistan has demanded passports and visas for drivers.",
            "The Taliban-run chamber of commerce said the closure cost Afghan exporters millions of "
            "dollars. Pakistani officials cited security concerns after TTP attacks in Khyber.",
        ),
    ),
    # --- Haqqani network ---------------------------------------------------------------------
    (
        "haqqani",
        HAQQANI_AREAS,
        (
            "Sirajuddin Haqqani visits {p}, meets tribal elders",
            "Haqqani network consolidates control in {p}, locals say",
            "Haqqani commander appointed governor of {p}",
        ),
        (
            "Taliban interior minister Sirajuddin Haqqani told elders in {p} that the Islamic Emirate "
            "would not allow its soil to be used against other countries.",
            "Analysts say the Haqqani network has expanded its influence over security posts in "
            "{p} amid rivalry with the Kandahar leadership around Hibatullah Akhundzada.",
            "A decree from Hibatullah Akhundzada named a commander close to Sirajuddin Haqqani as "
            "governor of {p}, replacing a Kandahari appointee.",
        ),
    ),
    # --- al-Qaeda and TIP -------------------------------------------------------------------
    (
        "aq",
        AQ_AREAS,
        (
            "UN monitors: al-Qaeda runs training camps in {p}",
            "Al-Qaeda figures relocated to {p}, report says",
            "AQIS leader seen in {p}, UN sanctions team says",
        ),
        (
            "A UN monitoring team report said al-Qaeda maintains {n} training camps in Afghanistan, "
            "including in {p}, and that its relationship with the Taliban remains close.",
            "Al-Qaeda members and their families have moved to {p} under Taliban protection, the "
            "report said. Kabul denies that al-Qaeda operates in Afghanistan.",
            "The report said al-Qaeda in the Indian Subcontinent (AQIS) had moved members to {p}. "
            "The Taliban rejected the findings as 'baseless'.",
        ),
    ),
    (
        "aq",
        ("AF-BDS", "AF-KDZ", "AF-TAK"),
        (
            "Uyghur militants of the Turkistan Islamic Party moved to {p}, sources say",
            "China presses Taliban over TIP fighters in {p}",
        ),
        (
            "Sources said the Taliban relocated fighters of the Turkistan Islamic Party (TIP), a "
            "Uyghur militant group, from Badakhshan's border areas to {p}. China has raised the issue.",
            "Beijing wants the Taliban to act against the Turkistan Islamic Party, or ETIM, whose "
            "fighters are present near the Wakhan corridor and {t}.",
        ),
    ),
    # --- Tajik/Uzbek border militants -------------------------------------------------------
    (
        "north",
        ("AF-BDS", "AF-TAK", "AF-KDZ"),
        (
            "Jamaat Ansarullah fighters patrol villages near {t}, residents say",
            "Tajikistan worried by Jamaat-e Ansarullah presence in {p}",
            "Taliban deploy Tajik militants of Ansarullah along border in {p}",
        ),
        (
            "Residents of {t} in {p} said armed members of Jamaat Ansarullah, a Tajik militant group, "
            "man checkpoints along the Amu Darya. Dushanbe has called the group a terrorist threat.",
            "Tajikistan's security services said Jamaat-e Ansarullah fighters near {t} could "
            "threaten the border, and that Taliban assurances were not enough.",
        ),
    ),
    (
        "north",
        NORTH_AREAS,
        (
            "IMU remnants active in {p}, Uzbek officials warn",
            "Islamic Movement of Uzbekistan fighters seen near {t}",
        ),
        (
            "Uzbek security officials said the Islamic Movement of Uzbekistan (IMU), largely absorbed "
            "by other groups, still has dozens of fighters in {p}. Tashkent has raised concerns with Kabul.",
            "Locals in {t} said IMU militants with families had settled in the area with Taliban "
            "approval. The Taliban said no foreign fighters are present.",
        ),
    ),
    (
        "north",
        ("AF-BDS", "AF-TAK"),
        (
            "Tajikistan Taliban Movement fighters reported in {p}",
            "Dushanbe: Tajikistan Taliban Movement plans attacks from {p}",
        ),
        (
            "Tajik officials said the Tajikistan Taliban Movement (TTM) had recruited several hundred "
            "men and was based in {t}. The group is linked to the Taliban's northern commanders.",
            "Tajikistan's border guards reported a shooting near the Panj river opposite {t}. "
            "Dushanbe said militants of the Tajikistan Taliban Movement tried to cross.",
        ),
    ),
    (
        "north",
        ("AF-BDS", "AF-TAK"),
        (
            "Shooting on Tajik-Afghan border near {t}; {n} killed",
            "Tajik border guards clash with smugglers from {p}",
        ),
        (
            "Tajikistan's State Committee for National Security said border guards clashed with "
            "armed men crossing from {p}. {n} people were killed. The Taliban said they were smugglers.",
            "The shooting took place on the Panj river near {t}. Tajikistan has reinforced the border "
            "with Russian help since 2021.",
        ),
    ),
    (
        "north",
        ("AF-BAL", "AF-JOW"),
        (
            "Uzbekistan reinforces Termez border as tension rises in {p}",
            "Uzbek border guards detain Afghans near Amu Darya island",
        ),
        (
            "Uzbekistan's border troops added posts along the Amu Darya opposite Hairatan, officials "
            "in Termez said. Taliban officials in {p} said the situation was calm.",
            "Afghan villagers from {t} who crossed to an island in the river were detained by "
            "Uzbek guards, family members said.",
        ),
    ),
    # --- Economy and trade ------------------------------------------------------------------
    (
        "econ",
        ("AF-BAL",),
        (
            "Hairatan port sees {pct}% rise in imports from Uzbekistan",
            "Trans-Afghan railway: Uzbekistan, Pakistan and Taliban sign framework deal",
            "Uzbek trade delegation visits Mazar-i-Sharif",
        ),
        (
            "Officials at Hairatan port in Balkh said fuel and flour imports from Uzbekistan rose "
            "{pct}% this quarter. Termez remains the main hub for Afghan trade.",
            "The railway would link Termez through Mazar-i-Sharif and Kabul to Pakistan's Peshawar. "
            "Financing remains unclear.",
            "An Uzbek delegation from Termez met Balkh officials in Mazar-i-Sharif to discuss a trade "
            "centre, electricity exports and visas for Afghan traders.",
        ),
    ),
    (
        "econ",
        ("AF-HER", "AF-NIM"),
        (
            "Turkmenistan says TAPI pipeline work in {p} on schedule",
            "Herat-Torghundi railway reopens to Turkmen cargo",
            "Islam Qala customs revenue up {pct}% as Iran trade grows",
        ),
        (
            "Turkmenistan's officials said construction of the TAPI gas pipeline section in {p} was "
            "progressing. Security along the route is provided by the Taliban.",
            "The first train carrying Turkmen fuel and building material reached Herat from "
            "Torghundi after repairs, railway officials said.",
            "Traders in {t} said trade with Iran and Turkmenistan had increased, but currency "
            "restrictions and high fees remain a problem.",
        ),
    ),
    (
        "econ",
        ALL,
        (
            "Price of flour rises in {p} markets",
            "{p} farmers struggle as drought hits wheat harvest",
            "Taliban announce {N} million afghani road project in {p}",
            "Unemployment drives young men from {p} to Iran",
        ),
        (
            "Residents of {t} said a sack of flour now costs {k} afghanis. Shopkeepers blamed border "
            "closures and a weak harvest.",
            "Farmers in {t} said rain-fed wheat failed for a second year and that wells were drying "
            "up. Many are selling livestock to buy food.",
            "Officials in {p} said the project would connect {t} to the provincial centre. Critics "
            "say many announced projects never start.",
            "Economists say the Afghan economy has shrunk since 2021 and that aid cuts are deepening "
            "poverty in provinces such as {p}.",
        ),
    ),
    (
        "china",
        ("AF-LOG",),
        (
            "Chinese firm resumes work at Mes Aynak copper mine in Logar",
            "Mes Aynak: MCC says road to Logar mine site complete",
        ),
        (
            "China's MCC said preliminary work at Mes Aynak had begun, {N} years after the contract was "
            "signed. Archaeologists fear for the Buddhist ruins at the site near Pul-e Alam.",
            "Taliban ministry of mines officials said the Chinese company had hired {k} local workers "
            "in Logar.",
        ),
    ),
    (
        "china",
        ("AF-SAR", "AF-JOW", "AF-FYB"),
        (
            "Chinese company expands oil extraction in {p}",
            "China eyes Wakhan corridor road as Taliban courts Beijing",
        ),
        (
            "The Taliban said a Chinese company extracting oil from the Amu Darya basin in {p} had "
            "raised output. Locals in {t} complain they have not been hired.",
            "China's ambassador met Taliban officials to discuss mining, the Wakhan road and security "
            "guarantees against Uyghur militants.",
        ),
    ),
    # --- Iran, water and migrants -----------------------------------------------------------
    (
        "iran",
        ("AF-NIM", "AF-HEL"),
        (
            "Iran demands Helmand River water share as drought deepens",
            "Iranian and Taliban border guards clash near {t}",
            "Kamal Khan dam: Iran says Taliban withhold water",
        ),
        (
            "Iran's foreign ministry said the Taliban must respect the 1973 Helmand River treaty. "
            "Residents of {t} in {p} say there is barely enough water for their own farms.",
            "Border guards of Iran and the Taliban exchanged fire near {t} in {p}, killing {n}, "
            "officials said. Both sides blamed the other.",
            "Iranian officials said the Kamal Khan dam in Nimroz diverts water that should reach "
            "Sistan. The Taliban say drought, not the dam, is to blame.",
        ),
    ),
    (
        "iran",
        ("AF-HER", "AF-NIM"),
        (
            "{N},000 Afghans deported from Iran in a week, UNHCR says",
            "Returnees crowd Islam Qala as Iran speeds up deportations",
        ),
        (
            "UNHCR said {N},000 Afghans returned or were deported from Iran through Islam Qala and "
            "Milak in {p} in one week. Many arrived with nothing.",
            "Aid groups at the border in {p} said families need shelter, food and cash. Iran says it "
            "will deport all undocumented Afghans.",
        ),
    ),
    # --- Humanitarian and UN ----------------------------------------------------------------
    (
        "hum",
        ALL,
        (
            "WFP warns of hunger in {p} as funding falls",
            "UN: {N},000 families in {p} need urgent food aid",
            "UNICEF opens nutrition clinics in {p}",
            "UNHCR supports returnees resettling in {p}",
        ),
        (
            "The World Food Programme said it reached {N},000 people in {p} last month but had to "
            "cut rations. The UN says {N} million Afghans need assistance this year.",
            "UN agencies said malnutrition among children in {t} had reached emergency levels. "
            "Women aid workers still face Taliban restrictions.",
            "UNICEF said the clinics in {t} would treat children with severe acute malnutrition, "
            "whose numbers rose {pct}% this year.",
            "UNHCR said it gave cash and shelter kits to {N},000 returnees in {p}, most of them "
            "deported from Iran and Pakistan.",
        ),
    ),
    (
        "hum",
        ALL,
        (
            "Flash floods kill {n} in {p}",
            "Earthquake of magnitude 5.{n} shakes {p}",
            "Avalanche blocks road in {p}, {n} dead",
            "Cholera cases rise in {p}, health officials say",
        ),
        (
            "Taliban disaster officials said flash floods destroyed {N} houses and farmland in {t}. "
            "UN agencies sent teams to assess needs.",
            "The quake struck near {t} in {p}. Local officials said houses were damaged and {n} people "
            "were injured. Aftershocks continued into {dow}.",
            "Roads to {t} were cut and residents called for help. The UN's OCHA said it was "
            "coordinating relief with local partners.",
            "Health officials in {p} recorded {N} suspected cholera cases in a week, most in {t}, "
            "where families drink water from open canals.",
        ),
    ),
    (
        "hum",
        ALL,
        (
            "UNAMA: {n} civilians killed by unexploded ordnance in {p}",
            "UNAMA reports arbitrary detentions of former officials in {p}",
            "Polio vaccination campaign begins in {p}",
        ),
        (
            "The UN Assistance Mission in Afghanistan (UNAMA) said children collecting scrap metal in "
            "{t} were killed when old ordnance exploded.",
            "UNAMA's human rights report documented detentions and ill-treatment of former soldiers "
            "in {p} despite the Taliban's amnesty.",
            "Health workers in {p} said {N},000 children would be vaccinated, though door-to-door "
            "campaigns remain banned.",
        ),
    ),
    # --- Governance and rights --------------------------------------------------------------
    (
        "gov",
        ALL,
        (
            "Taliban flog {n} people in {p} stadium",
            "Girls' schools in {p} remain closed beyond sixth grade",
            "Taliban replace governor of {p}",
            "Women protesters detained in {p}, activists say",
            "Taliban ban women from parks and baths in {p}",
        ),
        (
            "The Taliban's Supreme Court said {n} people were flogged in {t} for 'moral crimes'. "
            "The UN called corporal punishment a violation of human rights.",
            "Teachers in {t} said girls above sixth grade have not been to class for years. Some "
            "attend secret home schools.",
            "A decree from Taliban leader Hibatullah Akhundzada appointed a new governor for {p}. "
            "No reason was given.",
            "Activists said {n} women who protested in {t} for the right to work were detained by "
            "Taliban intelligence. The Taliban said they were released after 'advice'.",
            "Activists said the Taliban's vice and virtue ministry had stepped up enforcement of its "
            "rules in {p}, including beard length and women's dress.",
        ),
    ),
    (
        "gov",
        ALL,
        (
            "Taliban destroy poppy fields in {p}",
            "Opium cultivation returns to parts of {p}, report says",
            "Land dispute in {p} turns violent, {n} killed",
        ),
        (
            "Taliban counter-narcotics teams said they destroyed {k} acres of poppy in {t}. "
            "Farmers say they have no other way to feed their families.",
            "Satellite imagery shows poppy returning to fields in {t}, {p}, despite the Taliban's "
            "ban, analysts said. Opium prices have risen sharply.",
            "Tribal elders in {p} said a dispute between Kuchi herders and villagers in {t} left "
            "{n} people dead. The Taliban sent a delegation to mediate.",
        ),
    ),
    # --- Diplomacy ---------------------------------------------------------------------------
    (
        "dipl",
        ("AF-KAB",),
        (
            "Russia hosts Moscow format talks on Afghanistan",
            "Russia removes Taliban from list of banned organisations",
            "Uzbek foreign minister meets Taliban in Kabul",
            "China's special envoy discusses security with Muttaqi",
            "US envoy meets Taliban over detained Americans",
            "Turkmenistan's delegation in Kabul to discuss TAPI and power lines",
            "Tajikistan and Taliban hold rare talks on border security",
        ),
        (
            "Russia's envoy Zamir Kabulov said Moscow would deepen ties with the Taliban but urged an "
            "inclusive government. Representatives of China, Iran and Pakistan attended.",
            "Russia's Supreme Court lifted the ban on the Taliban, clearing the way for closer ties. "
            "The Islamic Emirate welcomed the decision.",
            "Uzbekistan's foreign minister discussed the Trans-Afghan railway and trade through Termez "
            "with Amir Khan Muttaqi in Kabul.",
            "China's special envoy pressed the Taliban on security guarantees for Chinese workers and "
            "investments, the foreign ministry in Beijing said.",
            "The US State Department said Washington would keep pressing for the release of detained "
            "Americans and for women's rights.",
            "The delegation discussed the TAPI gas pipeline and power lines from Turkmenistan to "
            "Herat, the Taliban foreign ministry said.",
            "Officials of Tajikistan and the Taliban discussed border security on the Panj river, a "
            "rare meeting given Dushanbe's ties to the Taliban's opponents.",
        ),
    ),
    (
        "dipl",
        ("AF-KAB", "AF-KAN"),
        (
            "Pakistan's ISI chief holds talks with Taliban leaders",
            "Islamabad accuses Kabul of ignoring TTP threat; ISI delegation visits",
            "Pakistan deports {N},000 Afghans in a month",
        ),
        (
            "Pakistan's Inter-Services Intelligence (ISI) chief met Taliban officials to demand action "
            "against the TTP. Relations between Islamabad and the Taliban have deteriorated.",
            "Pakistan's foreign office said Kabul had failed to act against the TTP, and an ISI "
            "delegation travelled to Kabul to present evidence of attacks.",
            "Pakistan continues to expel Afghan refugees, many of whom were born in Pakistan. The UN "
            "urged Islamabad to halt forced returns.",
        ),
    ),
    (
        "us",
        ALL,
        (
            "SIGAR: US-funded equipment left in {p} now used by Taliban",
            "SIGAR audit finds millions in aid to {p} projects unaccounted for",
            "US drone spotted over {p}, residents say",
        ),
        (
            "The Special Inspector General for Afghanistan Reconstruction (SIGAR) said US taxpayer "
            "funds spent in {p} could not be fully accounted for.",
            "SIGAR's report said the United States had provided over $2 billion in aid since 2021 and "
            "that the Taliban benefited from parts of it.",
            "Residents of {t} said a drone flew over the area for hours. The Taliban accused the US "
            "of violating Afghan airspace.",
        ),
    ),
    (
        "south",
        SOUTH_AREAS,
        (
            "Taliban leader Akhundzada addresses clerics in {p}",
            "Taliban recruit {k} new soldiers in {p}",
            "Explosion at weapons depot in {p} kills {n} Taliban",
        ),
        (
            "Hibatullah Akhundzada, who rarely appears in public, told religious scholars in {p} to "
            "obey the Islamic Emirate's decrees, according to an audio recording.",
            "The Taliban defence ministry said {k} young men from {p} had joined its army after "
            "training in {t}.",
            "Taliban officials said the blast at a depot in {t} was accidental. Local residents "
            "heard several explosions.",
        ),
    ),
)

# Generic sentences that close a summary, by category.
CLOSERS: dict[str, tuple[str, ...]] = {
    "nrf": ("", "The claims could not be independently verified."),
    "aff": ("Independent verification is not possible in the area.",),
    "isk": ("", "Casualty figures may rise."),
    "ttp": ("Relations between Islamabad and Kabul remain tense.",),
    "north": ("Central Asian governments are watching the border closely.",),
    "hum": ("Funding for the UN appeal remains low.", ""),
    "gov": ("", "The Taliban did not respond to requests for comment."),
}
