"""Canvas and Moodle gradebook exports, against the platforms' documented import formats
(see helpers/grading/export.py for the sources)."""

import csv
import io

import pytest

from helpers.grading import export
from helpers.grading.export import canvas_csv, moodle_csv, scores_from_results, write_export

RESULTS = {"format": 2, "notebook": "01_neuron", "students": {
    "alice": {"status": "graded", "score": 9.0, "max_score": 10.0,
              "exercises": {"affine": {"status": "passed", "points": 1.0}}},
    "bob": {"status": "unreadable", "score": 0.0, "max_score": 10.0,
            "exercises": {"affine": {"status": "unreadable", "points": 0.0}}},
    "carol": {"status": "grader error", "score": 3.0, "max_score": 10.0,
              "exercises": {"affine": {"status": "error", "points": 0.0}}},
    "=cmd|calc": {"status": "graded", "score": 2.5, "max_score": 10.0, "exercises": {}},
}}


def rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_scores_leave_the_graders_trouble_blank_never_zero():
    scores, possible = scores_from_results(RESULTS)
    assert possible == 10.0
    assert scores == {"alice": 9.0, "bob": 0.0, "carol": None, "=cmd|calc": 2.5}


def test_canvas_header_points_possible_and_rows():
    scores, possible = scores_from_results(RESULTS)
    table = rows(canvas_csv(scores, assignment="01_neuron", points_possible=possible,
                            assignment_id=4711).text)
    assert table[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section",
                        "01_neuron (4711)"]
    assert table[1] == ["Points Possible", "", "", "", "", "10"]
    body = {row[0]: row for row in table[2:]}
    assert body["alice"] == ["alice", "", "", "alice", "", "9"]
    assert body["bob"][-1] == "0" and body["carol"][-1] == ""
    assert "'=cmd|calc" in body  # a name never runs as a spreadsheet formula
    assert all(len(row) == 6 for row in table)


def test_canvas_without_an_id_names_a_new_assignment():
    table = rows(canvas_csv({"a": 1.0}, assignment="01_neuron", points_possible=2).text)
    assert table[0][-1] == "01_neuron"


def test_canvas_roster_fills_in_the_ids_and_reports_the_unmatched():
    roster = [
        {"Student": "Smith, Alice", "ID": "101", "SIS User ID": "S-1", "SIS Login ID": "alice",
         "Section": "Lab A", "Quiz (9)": "3"},
        {"Student": "Jones, Bob", "ID": "102", "SIS User ID": "bob", "SIS Login ID": "bjones",
         "Section": "Lab B"},
    ]
    result = canvas_csv({"ALICE": 9.0, "bob": 1.0, "zed": 2.0}, assignment="nb",
                        points_possible=10, roster=roster)
    table = rows(result.text)
    assert ["Smith, Alice", "101", "S-1", "alice", "Lab A", "9"] in table
    assert ["Jones, Bob", "102", "bob", "bjones", "Lab B", "1"] in table
    assert result.unmatched == ["zed"]


@pytest.mark.parametrize("identifier, header", [("username", "Username"),
                                                ("email", "Email address"),
                                                ("idnumber", "ID number")])
def test_moodle_header_names_the_identifier_and_the_grade_item(identifier, header):
    scores, _ = scores_from_results(RESULTS)
    table = rows(moodle_csv(scores, grade_item="01_neuron", identifier=identifier).text)
    assert table[0] == [header, "01_neuron"]
    body = dict(table[1:])
    assert body == {"alice": "9", "bob": "0", "carol": "", "'=cmd|calc": "2.5"}


def test_moodle_roster_maps_to_email_or_id_number():
    roster = [{"First name": "Alice", "Last name": "Smith", "ID number": "7001",
               "Email address": "asmith@uni.example"},
              {"First name": "Bob", "Last name": "Jones", "ID number": "7002",
               "Email address": "bob@uni.example"}]
    scores = {"asmith": 9.0, "Bob Jones": 4.0, "nobody": 1.0}
    by_email = moodle_csv(scores, grade_item="nb", identifier="email", roster=roster)
    assert dict(rows(by_email.text)[1:]) == {"asmith@uni.example": "9",
                                             "bob@uni.example": "4", "nobody": "1"}
    assert by_email.unmatched == ["nobody"]
    by_id = moodle_csv(scores, grade_item="nb", identifier="idnumber", roster=roster)
    assert dict(rows(by_id.text)[1:]) == {"7001": "9", "7002": "4", "nobody": "1"}
    by_user = moodle_csv(scores, grade_item="nb", identifier="username", roster=roster)
    assert dict(rows(by_user.text)[1:]) == {"asmith": "9", "bob": "4", "nobody": "1"}


def test_bad_arguments_say_what_is_allowed(tmp_path):
    with pytest.raises(ValueError, match="username, email, idnumber"):
        moodle_csv({}, grade_item="nb", identifier="login")
    with pytest.raises(ValueError, match="canvas or moodle"):
        write_export("blackboard", RESULTS, tmp_path)
    with pytest.raises(ValueError, match="could not be read"):
        export.read_roster(tmp_path / "missing.csv")


def test_write_export_writes_next_to_the_gradebook(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text("\ufeffStudent,ID,SIS User ID,SIS Login ID,Section\n"
                      "\"Smith, Alice\",101,S-1,alice,Lab A\n", encoding="utf-8")
    path, result = write_export("canvas", RESULTS, tmp_path / "01_neuron", roster=roster,
                                assignment_id="55")
    assert path == tmp_path / "01_neuron" / "canvas.csv"
    table = rows(path.read_text(encoding="utf-8"))
    assert table[0][-1] == "01_neuron (55)"
    assert ["Smith, Alice", "101", "S-1", "alice", "Lab A", "9"] in table
    assert sorted(result.unmatched) == sorted(["bob", "carol", "=cmd|calc"])
    path, _ = write_export("moodle", RESULTS, tmp_path / "01_neuron")
    assert rows(path.read_text(encoding="utf-8"))[0] == ["Username", "01_neuron"]


def test_command_line_options():
    import argparse

    parser = argparse.ArgumentParser()
    export.add_export_arguments(parser)
    args = parser.parse_args(["--export", "canvas", "--export", "moodle", "--export", "canvas",
                              "--canvas-assignment-id", "42", "--moodle-identifier", "email"])
    assert export.export_options(args) == {"export": ("canvas", "moodle"), "roster": None,
                                           "assignment_id": "42", "identifier": "email"}
    assert export.export_options(parser.parse_args([]))["export"] == ()
    with pytest.raises(SystemExit):
        parser.parse_args(["--export", "blackboard"])


def test_canvas_without_a_roster_warns_and_says_what_canvas_does(tmp_path):
    from helpers.grading.report import write_outputs

    lines: list[str] = []
    write_outputs(RESULTS, tmp_path / "01_neuron", export=("canvas", "moodle"), log=lines.append)
    warning = [line for line in lines if "without --roster" in line]
    assert len(warning) == 1  # for Canvas only: Moodle's username column is the login itself
    assert "SIS Login ID" in warning[0] and "file or folder name" in warning[0]
    assert "leaves that row out of the import" in warning[0] and "--roster" in warning[0]
    roster = tmp_path / "roster.csv"
    roster.write_text("Student,ID,SIS User ID,SIS Login ID,Section\nAlice,101,S-1,alice,A\n")
    lines.clear()
    write_outputs(RESULTS, tmp_path / "01_neuron", export=("canvas",), roster=roster,
                  log=lines.append)
    assert not [line for line in lines if "without --roster" in line]


def test_an_export_a_later_run_does_not_ask_for_is_removed(tmp_path):
    from helpers.grading.report import write_outputs

    folder = tmp_path / "01_neuron"
    write_outputs(RESULTS, folder, export=("canvas", "moodle"), log=lambda _: None)
    assert (folder / "canvas.csv").is_file() and (folder / "moodle.csv").is_file()
    lines: list[str] = []
    write_outputs(RESULTS, folder, export=("canvas",), log=lines.append)
    assert (folder / "canvas.csv").is_file() and not (folder / "moodle.csv").exists()
    assert any("Removed moodle.csv" in line for line in lines)


def test_students_are_listed_alphabetically_whatever_the_case():
    from types import SimpleNamespace

    from helpers.grading.batch import _gradebook

    names = ["bob", "Alice", "Zed", "carl", "alice"]
    expected = ["Alice", "alice", "bob", "carl", "Zed"]
    entry = {"exercises": {}, "score": 1.0, "max_score": 1.0}
    gradebook = _gradebook(SimpleNamespace(exercises=()), {n: dict(entry) for n in names})
    assert [row[0] for row in rows(gradebook)[1:]] == expected
    canvas = canvas_csv(dict.fromkeys(names, 1.0), assignment="nb", points_possible=1)
    assert [row[0] for row in rows(canvas.text)[2:]] == expected
    moodle = moodle_csv(dict.fromkeys(names, 1.0), grade_item="nb")
    assert [row[0] for row in rows(moodle.text)[1:]] == expected
