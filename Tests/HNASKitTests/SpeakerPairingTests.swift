import XCTest
@testable import HNASKit

final class SpeakerPairingTests: XCTestCase {
    /// FSDD-style names in byte-wise order: `_10` sorts before `_2`.
    private func fsddFolder(digit: Int, perSpeaker: Int) -> [String] {
        ["jackson", "nicolas", "theo"].flatMap { speaker in (0..<perSpeaker).map { "\(digit)_\(speaker)_\($0).wav" } }
            .sorted(by: FolderListing.precedes)
    }

    func testFSDDRuleTakesSpeakerBlocksInSortedOrder() throws {
        let files = fsddFolder(digit: 4, perSpeaker: 50)
        XCTAssertEqual(SpeakerPairing.rule(for: files), .fsdd)
        let chosen = try SpeakerPairing.fsdd.select(files, count: 105).get()
        XCTAssertEqual(chosen.count, 105)
        XCTAssertEqual(Array(chosen[0..<4]), ["4_jackson_0.wav", "4_jackson_1.wav", "4_jackson_10.wav", "4_jackson_11.wav"])
        XCTAssertEqual(chosen[34], "4_jackson_4.wav") // 0, 1, 10…19, 2, 20…29, 3, 30…39, then 4 is the 35th
        XCTAssertEqual(chosen[35], "4_nicolas_0.wav")
        XCTAssertEqual(chosen[70], "4_theo_0.wav")
        XCTAssertEqual(Set(chosen).count, 105)
    }

    func testFSDDOtherBlockTakesAllNonFSDDNamesTogether() throws {
        let files = (["george", "lucas"].flatMap { s in (0..<20).map { "1_\(s)_\($0).wav" } }
                     + ["jackson", "nicolas"].flatMap { s in (0..<20).map { "1_\(s)_\($0).wav" } }).sorted(by: FolderListing.precedes)
        let chosen = try SpeakerPairing.fsdd.select(files, count: 60).get()
        // the "other" block is the first 20 non-jackson/nicolas files: all of george's
        XCTAssertEqual(Array(chosen[40...]).map(SpeakerPairing.speaker), [String](repeating: "george", count: 20))
    }

    func testFSDDRuleReportsTheShortBlock() {
        let files = fsddFolder(digit: 0, perSpeaker: 35).filter { !$0.contains("nicolas_3") }
        XCTAssertEqual(SpeakerPairing.fsdd.select(files, count: 105),
                       .failure(PairingShortage(need: 35, found: 29, of: "nicolas")))
    }

    func testRoundRobinAlternatesSortedSpeakers() throws {
        let files = ["2_b_0.wav", "2_b_1.wav", "2_a_0.wav", "2_c_0.wav", "2_c_1.wav", "2_c_2.wav"].sorted(by: FolderListing.precedes)
        XCTAssertEqual(SpeakerPairing.rule(for: files), .roundRobin)
        XCTAssertEqual(try SpeakerPairing.roundRobin.select(files, count: 5).get(),
                       ["2_a_0.wav", "2_b_0.wav", "2_c_0.wav", "2_b_1.wav", "2_c_1.wav"])
        XCTAssertEqual(SpeakerPairing.roundRobin.select(files, count: 7),
                       .failure(PairingShortage(need: 7, found: 6, of: "all speakers")))
    }
}
