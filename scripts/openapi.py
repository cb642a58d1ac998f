# Writes Sources/FallwerkAPI/openapi.yaml (the build generates the Swift server types from that file).
# The OpenAPI document is the API's source of truth; this script only saves typing its repetitive parts.
# Usage: python3 scripts/openapi.py > Sources/FallwerkAPI/openapi.yaml
import yaml, collections
E = ['400','401','403','404','422']
def errs(codes):
    return {c: {'$ref': f'#/components/responses/{ {"400":"BadRequest","401":"Unauthorized","403":"Forbidden","404":"NotFound","422":"Unprocessable","429":"TooManyRequests"}[c] }'} for c in codes}
def ok(schema, code='200', desc='OK'):
    return {code: {'description': desc, 'content': {'application/json': {'schema': schema}}}}
def ref(n): return {'$ref': f'#/components/schemas/{n}'}
def arr(s): return {'type':'array','items':s}
def body(n): return {'required': True, 'content': {'application/json': {'schema': ref(n)}}}
idparam = [{'name':'id','in':'path','required':True,'schema':{'type':'string'}, 'description':'Id (UUID)'}]
S = lambda **k: {'type':'string', **k}
I = lambda **k: {'type':'integer', **k}
date = S(format='date', example='2026-01-01')
money = S(pattern=r'^\d+(\.\d{1,2})?$', example='58.40', description='Euro amount as a decimal string')
hours = S(pattern=r'^\d+(\.\d{1,2})?$', example='7.5', description='Hours as a decimal string, whole minutes')
paths = {}
def crud(path, tag, plural, singular, inp, out, extra_list_params=None):
    lst = {'operationId': f'list{plural}', 'tags':[tag], 'summary': f'List {plural}', 'responses': {**ok(arr(ref(out))), **errs(['401','403'])}}
    if extra_list_params:
        lst['parameters'] = extra_list_params
        lst['responses'] = {**ok(arr(ref(out))), **errs(['400','401','403'])}  # a filter id that is no UUID
    paths[path] = {
        'get': lst,
        'post': {'operationId': f'create{singular}', 'tags':[tag], 'summary': f'Create {singular}', 'requestBody': body(inp),
                 'responses': {**ok(ref('Created'),'201','Created'), **errs(['400','401','403','422'])}},
    }
    paths[path+'/{id}'] = {
        'parameters': idparam,
        'get': {'operationId': f'get{singular}', 'tags':[tag], 'summary': f'Get {singular}', 'responses': {**ok(ref(out)), **errs(['401','403','404'])}},
        'put': {'operationId': f'update{singular}', 'tags':[tag], 'summary': f'Replace {singular}', 'requestBody': body(inp),
                'responses': {'204': {'description':'Saved'}, **errs(['400','401','403','404','422'])}},
    }
paths['/api/v1/session'] = {
  'post': {'operationId':'createSession','tags':['Session'],'summary':'Log in and get a bearer token','security':[],
           'requestBody': body('SessionRequest'), 'responses': {**ok(ref('Session'),'201','Created'), **errs(['400','401','422']), '429': {'$ref':'#/components/responses/TooManyRequests'}}},
  'delete': {'operationId':'deleteSession','tags':['Session'],'summary':'Revoke the bearer token used','responses': {'204':{'description':'Logged out'}, **errs(['401'])}},
}
paths['/api/v1/me'] = {'get': {'operationId':'getMe','tags':['Session'],'summary':'The signed-in user','responses': {**ok(ref('Me')), **errs(['401'])}}}
crud('/api/v1/youth-offices','Master data','YouthOffices','YouthOffice','YouthOfficeInput','YouthOffice')
crud('/api/v1/offers','Master data','Offers','Offer','OfferInput','Offer')
crud('/api/v1/agreements','Master data','Agreements','Agreement','AgreementInput','Agreement',
     [{'name':'youthOfficeId','in':'query','required':False,'schema':{'type':'string'},'description':'Only agreements with this youth office'}])
crud('/api/v1/teams','Master data','Teams','Team','TeamInput','Team')
crud('/api/v1/staff','Master data','Staff','StaffMember','StaffInput','StaffMember',
     [{'name':'teamId','in':'query','required':False,'schema':{'type':'string'},'description':'Only staff of this team'}])
crud('/api/v1/users','Administration','Users','User','UserInput','User')
# Issue 16: accounts that end. Deactivating ends every session and token of the user at once; nothing is deleted.
paths['/api/v1/users/{id}/deactivate'] = {'parameters': idparam,
  'post': {'operationId':'deactivateUser','tags':['Administration'],
           'summary':'Deactivate a login: refused at once on pages and API (sessions and tokens end); their work keeps its author. Not yourself (422).',
           'responses': {'204':{'description':'Deactivated'}, **errs(['401','403','404','422'])}}}
paths['/api/v1/users/{id}/activate'] = {'parameters': idparam,
  'post': {'operationId':'activateUser','tags':['Administration'],'summary':'Activate a deactivated login again',
           'responses': {'204':{'description':'Active'}, **errs(['401','403','404'])}}}
paths['/api/v1/me/password'] = {
  'put': {'operationId':'changeOwnPassword','tags':['Session'],
          'summary':'Change your own password: the current one must match; afterwards every session and token of yours ends, this one included (sign in again)',
          'requestBody': body('PasswordChangeInput'),
          'responses': {'204':{'description':'Changed'}, **errs(['400','401','422']), '429': {'$ref':'#/components/responses/TooManyRequests'}}}}
def paging(limit_text):
    """limit and offset of a list that is computed in full and returned in pages (issue 12)."""
    return [{'name':'limit','in':'query','required':False,'schema':I(minimum=1,maximum=500,default=100),'description':limit_text},
            {'name':'offset','in':'query','required':False,'schema':I(minimum=0,default=0),'description':'How many to skip: the X-Next-Offset of the page before'}]
def paged(schema, counted):
    return {'description':'OK: one page; X-Total-Count counts the ' + counted + ' of the whole list, X-Next-Offset is absent on the last page',
            'headers': {'X-Total-Count': {'description':'How many ' + counted + ' the whole list has','schema':I()},
                        'X-Next-Offset': {'description':'Pass as offset for the next page','schema':I()}},
            'content': {'application/json': {'schema': schema}}}
paths['/api/v1/cases'] = {
  'get': {'operationId':'listCases','tags':['Cases'],'summary':'Cases visible to the signed-in user',
          'parameters':[{'name':n,'in':'query','required':False,'schema':{'type':'string'},'description':d} for n,d in [
              ('q','Search in file number and names'),('teamId','Only cases of this team'),('staffId','Only cases this staff member works on'),
              ('youthOfficeId','Only cases of this youth office'),('status','planned, running or ended')]] + [
              {'name':'limit','in':'query','required':False,'schema':I(minimum=1,maximum=500,default=100),
               'description':'Cases per page (1 to 500, default 100), in the order of the young person\'s name'},
              {'name':'cursor','in':'query','required':False,'schema':S(),
               'description':'Where the page starts: the X-Next-Cursor of the page before'}],
          'responses': {'200': {'description':'OK: one page; X-Next-Cursor when there are more',
                                'headers': {'X-Next-Cursor': {'description':'Pass as cursor for the next page; absent on the last page','schema':S()}},
                                'content': {'application/json': {'schema': arr(ref('Case'))}}},
                        **errs(['400','401','403'])}},
  'post': {'operationId':'createCase','tags':['Cases'],'summary':'Open a case','requestBody': body('CaseInput'),
           'responses': {**ok(ref('Created'),'201','Created'), **errs(['400','401','403','422'])}},
}
paths['/api/v1/cases/{id}'] = {'parameters': idparam,
  'get': {'operationId':'getCase','tags':['Cases'],'summary':'One case (404 when not visible to you)','responses': {**ok(ref('Case')), **errs(['401','403','404'])}},
  'put': {'operationId':'updateCase','tags':['Cases'],
          'summary':"Correct a case's data, persons, file number, lead and co-workers (the lead worker, the team lead, management); youth office and offer are fixed once invoiced",
          'requestBody': body('CaseInput'),
          'responses': {'204':{'description':'Saved'}, **errs(['400','401','403','404','422'])}}}
paths['/api/v1/cases/{id}/substitutes'] = {'parameters': idparam,
  'post': {'operationId':'addSubstitute','tags':['Cases'],'summary':'Add a substitute for a date range (R27)','requestBody': body('SubstituteInput'),
           'responses': {'204':{'description':'Saved'}, **errs(['400','401','403','404','422'])}}}
paths['/api/v1/cases/{id}/family-address'] = {'parameters': idparam,
  'put': {'operationId':'updateFamilyAddress','tags':['Cases'],'summary':"Set the family's address for home visits; all parts empty removes it",
          'requestBody': body('AddressInput'),
          'responses': {'204':{'description':'Saved'}, **errs(['400','401','403','404','422'])}}}
caseparam = idparam
def sub(name, desc): return {'name':name,'in':'path','required':True,'schema':{'type':'string'},'description':desc}
paths['/api/v1/cases/{id}/approvals'] = {'parameters': caseparam,
  'get': {'operationId':'listApprovals','tags':['Budget'],'summary':"The case's approvals with their increases",'responses': {**ok(arr(ref('Approval'))), **errs(['401','403','404'])}},
  'post': {'operationId':'createApproval','tags':['Budget'],'summary':'Record a cost approval with its hour budget (R8)','requestBody': body('ApprovalInput'),
           'responses': {**ok(ref('Created'),'201','Created'), **errs(['400','401','403','404','422'])}}}
paths['/api/v1/cases/{id}/approvals/{approvalId}'] = {'parameters': caseparam + [sub('approvalId','Approval id')],
  'put': {'operationId':'updateApproval','tags':['Budget'],'summary':'Correct an approval; refused while an issued invoice of a month it covers was counted with it (R8, R16)',
          'requestBody': body('ApprovalInput'),
          'responses': {'204':{'description':'Saved'}, **errs(['400','401','403','404','422'])}},
  'delete': {'operationId':'deleteApproval','tags':['Budget'],'summary':'Delete an approval with its increases; refused like a correction (R8, R16)',
             'responses': {'204':{'description':'Deleted'}, **errs(['401','403','404','422'])}}}
paths['/api/v1/cases/{id}/approvals/{approvalId}/increases/{increaseId}'] = {'parameters': caseparam + [sub('approvalId','Approval id'), sub('increaseId','Increase id')],
  'delete': {'operationId':'deleteIncrease','tags':['Budget'],'summary':'Delete an increase recorded by mistake; refused like a correction (R9, R16)',
             'responses': {'204':{'description':'Deleted'}, **errs(['401','403','404','422'])}}}
paths['/api/v1/cases/{id}/approvals/{approvalId}/increases'] = {'parameters': caseparam + [sub('approvalId','Approval id')],
  'post': {'operationId':'addIncrease','tags':['Budget'],'summary':"Record hours the youth office confirmed on top of an approval (R9)",'requestBody': body('IncreaseInput'),
           'responses': {**ok(ref('Created'),'201','Created'), **errs(['400','401','403','404','422'])}}}
paths['/api/v1/cases/{id}/budget'] = {'parameters': caseparam,
  'get': {'operationId':'getBudget','tags':['Budget'],'summary':'Budget status of the window containing a day (R8, R9)',
          'parameters':[{'name':'date','in':'query','required':False,'schema':date,'description':'Default: today'}],
          'responses': {**ok(ref('BudgetStatus')), **errs(['400','401','403','404'])}}}
paths['/api/v1/cases/{id}/entries'] = {'parameters': caseparam,
  'get': {'operationId':'listEntries','tags':['Service entries'],'summary':"A month's service entries with what each counts (R10)",
          'parameters':[{'name':'month','in':'query','required':False,'schema':S(pattern=r'^\d{4}-\d{2}$', example='2026-11'),'description':'YYYY-MM, default: this month'}],
          'responses': {**ok(arr(ref('Entry'))), **errs(['400','401','403','404'])}},
  'post': {'operationId':'createEntry','tags':['Service entries'],'summary':'Record a service entry (R10–R13)','requestBody': body('EntryInput'),
           'responses': {**ok(ref('Created'),'201','Created'), **errs(['400','401','403','404','422'])}}}
paths['/api/v1/cases/{id}/entries/{entryId}'] = {'parameters': caseparam + [sub('entryId','Entry id')],
  'put': {'operationId':'updateEntry','tags':['Service entries'],'summary':'Change an own entry','requestBody': body('EntryInput'),
          'responses': {'204':{'description':'Saved'}, **errs(['400','401','403','404','422'])}},
  'delete': {'operationId':'deleteEntry','tags':['Service entries'],'summary':'Delete an own entry','responses': {'204':{'description':'Deleted'}, **errs(['401','403','404'])}}}
paths['/api/v1/group-sessions'] = {
  'get': {'operationId':'listGroupSessions','tags':['Service entries'],'summary':'Recent group sessions with a case visible to you; other cases present are only counted',
          'responses': {**ok(arr(ref('GroupSession'))), **errs(['401','403'])}},
  'post': {'operationId':'createGroupSession','tags':['Service entries'],'summary':'Record a group session split over the cases present (R10)','requestBody': body('GroupSessionInput'),
           'responses': {**ok(ref('Created'),'201','Created'), **errs(['400','401','403','422'])}}}
paths['/api/v1/group-sessions/{id}'] = {'parameters': idparam,
  'put': {'operationId':'updateGroupSession','tags':['Service entries'],'summary':'Correct a group session with all its shares; refused in an invoiced month of any case present (R10, R16)',
          'requestBody': body('GroupSessionInput'), 'responses': {'204':{'description':'Saved'}, **errs(['400','401','403','404','422'])}},
  'delete': {'operationId':'deleteGroupSession','tags':['Service entries'],'summary':'Delete a group session with all its shares; refused in an invoiced month of any case present',
             'responses': {'204':{'description':'Deleted'}, **errs(['401','403','404'])}}}
paths['/api/v1/cases/{id}/alerts'] = {'parameters': caseparam,
  'get': {'operationId':'listCaseAlerts','tags':['Alerts'],'summary':"The case's open alerts",'responses': {**ok(arr(ref('Alert'))), **errs(['401','403','404'])}},
  'post': {'operationId':'acknowledgeAlert','tags':['Alerts'],'summary':'Confirm having acted on an alert that data cannot clear (R12: youth office informed)',
           'requestBody': body('AlertAcknowledgementInput'), 'responses': {'204':{'description':'Saved'}, **errs(['400','401','403','404','422'])}}}
paths['/api/v1/alerts'] = {
  'get': {'operationId':'listAlerts','tags':['Alerts'],'summary':'Open alerts of the running cases visible to you, case by case in the order of the young person\'s name',
          'parameters': paging('Cases per page (1 to 500, default 100); every alert of a case is on the same page'),
          'responses': {'200': paged(arr(ref('Alert')), 'cases with open alerts'), **errs(['400','401','403'])}}}
# Care plan cycle (R3–R6): meetings, documents, deadlines, ending a case, calendar feed.
paths['/api/v1/cases/{id}/care-plan'] = {'parameters': caseparam,
  'get': {'operationId':'getCarePlan','tags':['Care plan'],'summary':"The case's care plan meetings, received documents and deadlines (R3–R6)",
          'responses': {**ok(ref('CarePlan')), **errs(['401','403','404'])}}}
paths['/api/v1/cases/{id}/care-plan-meetings'] = {'parameters': caseparam,
  'post': {'operationId':'createCarePlanMeeting','tags':['Care plan'],'summary':'Record a planned or held care plan meeting (R3–R5); a review held without its progress report needs reportMissingReason (R4)',
           'requestBody': body('CarePlanMeetingInput'), 'responses': {**ok(ref('Created'),'201','Created'), **errs(['400','401','403','404','422'])}}}
paths['/api/v1/cases/{id}/care-plan-meetings/{meetingId}'] = {'parameters': caseparam + [sub('meetingId','Meeting id')],
  'put': {'operationId':'updateCarePlanMeeting','tags':['Care plan'],'summary':'Correct a meeting, e.g. record it as held or move the next review earlier (R3); the version it replaces stays readable in earlierVersions',
          'requestBody': body('CarePlanMeetingInput'), 'responses': {'204':{'description':'Saved'}, **errs(['400','401','403','404','422'])}}}
paths['/api/v1/cases/{id}/care-plan-documents'] = {'parameters': caseparam,
  'post': {'operationId':'recordCarePlanDocument','tags':['Care plan'],'summary':'Record that the signed care plan, the cost approval or a written specification arrived (R5)',
           'requestBody': body('CarePlanDocumentInput'), 'responses': {**ok(ref('Created'),'201','Created'), **errs(['400','401','403','404','422'])}}}
paths['/api/v1/cases/{id}/care-plan-documents/{documentId}'] = {'parameters': caseparam + [sub('documentId','Received document id')],
  'put': {'operationId':'updateCarePlanDocument','tags':['Care plan'],'summary':'Correct a received document (kind, day, meeting); the version it replaces stays readable in earlierVersions',
          'requestBody': body('CarePlanDocumentInput'), 'responses': {'204':{'description':'Saved'}, **errs(['400','401','403','404','422'])}}}
paths['/api/v1/cases/{id}/deadlines'] = {'parameters': caseparam,
  'get': {'operationId':'listCaseDeadlines','tags':['Care plan'],'summary':"The case's deadlines, done ones included, in due order (R3–R6)",
          'responses': {**ok(arr(ref('Deadline'))), **errs(['401','403','404'])}}}
paths['/api/v1/cases/{id}/end'] = {'parameters': caseparam,
  'post': {'operationId':'endCase','tags':['Care plan'],'summary':'End a case with a reason; the required report becomes due, future reviews disappear (R6)',
           'requestBody': body('EndCaseInput'), 'responses': {'204':{'description':'Saved'}, **errs(['400','401','403','404','422'])}}}
paths['/api/v1/deadlines'] = {
  'get': {'operationId':'listDeadlines','tags':['Care plan'],'summary':'Pending deadlines of your cases (or your teams, or all for management) within the next weeks, overdue first',
          'parameters':[{'name':'scope','in':'query','required':False,'schema':{'type':'string','enum':['mine','team','all'],'default':'mine'}},
                        {'name':'weeks','in':'query','required':False,'schema':{'type':'integer','minimum':1,'maximum':52,'default':8}}]
                       + paging('Deadlines per page (1 to 500, default 100)'),
          'responses': {'200': paged(arr(ref('CaseDeadline')), 'pending deadlines'), **errs(['400','401','403'])}}}
paths['/api/v1/me/calendar-feed'] = {
  'post': {'operationId':'renewCalendarFeed','tags':['Care plan'],'summary':'Create or renew your secret iCalendar feed URL; the old URL stops working',
           'responses': {**ok(ref('CalendarFeed'),'201','Created'), **errs(['401','403'])}}}
paths['/api/v1/cases/{id}/service-records/{month}'] = {'parameters': caseparam + [sub('month','YYYY-MM')],
  'get': {'operationId':'getServiceRecord','tags':['Billing'],'summary':"A month's service record sheet with its signature status (R15)",
          'responses': {**ok(ref('ServiceRecord')), **errs(['400','401','403','404'])}}}
paths['/api/v1/cases/{id}/service-records/{month}/signature'] = {'parameters': caseparam + [sub('month','YYYY-MM')],
  'post': {'operationId':'signServiceRecord','tags':['Billing'],'summary':'Record the signature status of a month (R15)','requestBody': body('SignatureInput'),
           'responses': {'204':{'description':'Saved'}, **errs(['400','401','403','404','422'])}}}
paths['/api/v1/billing-runs'] = {
  'post': {'operationId':'createBillingRun','tags':['Billing'],'summary':'Compute draft invoices for a month, replacing earlier drafts (R14)','requestBody': body('BillingRunInput'),
           'responses': {**ok(ref('BillingRun'),'201','Created'), **errs(['400','401','403','422'])}}}
paths['/api/v1/invoices'] = {
  'get': {'operationId':'listInvoices','tags':['Billing'],'summary':"A month's invoices",
          'parameters':[{'name':'month','in':'query','required':True,'schema':S(pattern=r'^\d{4}-\d{2}$', example='2026-11')}],
          'responses': {**ok(arr(ref('Invoice'))), **errs(['400','401','403'])}}}
paths['/api/v1/invoices.csv'] = {
  'get': {'operationId':'exportInvoicesCSV','tags':['Billing'],'summary':"The month's issued invoices and their lines as CSV for the accounting system (R17)",
          'parameters':[{'name':'month','in':'query','required':True,'schema':S(pattern=r'^\d{4}-\d{2}$', example='2026-11')}],
          'responses': {'200': {'description':'Semicolon-separated, UTF-8, decimal commas','content':{'text/csv':{'schema':S()}}}, **errs(['400','401','403'])}}}
paths['/api/v1/invoices/{id}'] = {'parameters': idparam,
  'get': {'operationId':'getInvoice','tags':['Billing'],'summary':'One invoice','responses': {**ok(ref('Invoice')), **errs(['401','403','404'])}}}
paths['/api/v1/invoices/{id}/issue'] = {'parameters': idparam,
  'post': {'operationId':'issueInvoice','tags':['Billing'],'summary':'Give the next gapless number and freeze the invoice (R16)','responses': {**ok(ref('Invoice')), **errs(['401','403','404','422'])}}}
paths['/api/v1/invoices/{id}/cancel'] = {'parameters': idparam,
  'post': {'operationId':'cancelInvoice','tags':['Billing'],'summary':'Cancel an issued invoice with a cancellation invoice (R16)','responses': {**ok(ref('Invoice'),'201','Created'), **errs(['401','403','404','422'])}}}
paths['/api/v1/invoices/{id}/xrechnung'] = {'parameters': idparam,
  'get': {'operationId':'exportXRechnung','tags':['Billing'],'summary':'An issued invoice as XRechnung 3.0 (UBL 2.1) with the service record sheet attached (R17)',
          'responses': {'200': {'description':'UBL 2.1 invoice, XRechnung 3.0','content':{'application/xml':{'schema':S()}}}, **errs(['401','403','404','422'])}}}
paths['/api/v1/billing-runs/{month}'] = {'parameters': [sub('month','YYYY-MM')],
  'get': {'operationId':'getBillingRun','tags':['Billing'],'summary':"The month's cases with their latest invoice and what blocks it (missing rate, unsigned, over budget, no approval): the billing page's list",
          'responses': {**ok(ref('BillingRunOverview')), **errs(['401','403','422'])}}}
paths['/api/v1/billing-runs/{month}/issue'] = {'parameters': [sub('month','YYYY-MM')],
  'post': {'operationId':'issueAllInvoices','tags':['Billing'],'summary':"Issue every draft of the month that nothing blocks (unsigned, no approval, over budget)",
           'responses': {**ok(ref('IssueAllResult')), **errs(['400','401','403','422'])}}}
# Documentation (R18–R20): goals with ratings, notes, reports to the youth office. Accounting sees none of it.
paths['/api/v1/cases/{id}/goals'] = {'parameters': caseparam,
  'get': {'operationId':'listGoals','tags':['Documentation'],'summary':"The case's SMART goals with their rating history (R18)",'responses': {**ok(arr(ref('Goal'))), **errs(['401','403','404'])}},
  'post': {'operationId':'createGoal','tags':['Documentation'],'summary':'Record a SMART goal (R18); an achieved goal needs what, how measured and by when','requestBody': body('GoalInput'),
           'responses': {**ok(ref('Created'),'201','Created'), **errs(['400','401','403','404','422'])}}}
paths['/api/v1/cases/{id}/goals/{goalId}'] = {'parameters': caseparam + [sub('goalId','Goal id')],
  'put': {'operationId':'updateGoal','tags':['Documentation'],'summary':'Replace the parts and status of a goal; its ratings stay','requestBody': body('GoalInput'),
          'responses': {'204':{'description':'Saved'}, **errs(['400','401','403','404','422'])}}}
paths['/api/v1/cases/{id}/goals/{goalId}/ratings'] = {'parameters': caseparam + [sub('goalId','Goal id')],
  'post': {'operationId':'rateGoal','tags':['Documentation'],'summary':'Rate a goal on the fixed scale 1–5 with a short reason (R18)','requestBody': body('GoalRatingInput'),
           'responses': {**ok(ref('Created'),'201','Created'), **errs(['400','401','403','404','422'])}}}
paths['/api/v1/cases/{id}/notes'] = {'parameters': caseparam,
  'get': {'operationId':'listNotes','tags':['Documentation'],'summary':"The case's notes, newest first; q finds notes containing every word (R18)",
          'parameters':[{'name':'q','in':'query','required':False,'schema':S(),'description':'Words to search in observation and assessment'}],
          'responses': {**ok(arr(ref('Note'))), **errs(['401','403','404'])}},
  'post': {'operationId':'createNote','tags':['Documentation'],'summary':'Record a note: observation and assessment apart (R18); no diary content (R20)','requestBody': body('NoteInput'),
           'responses': {**ok(ref('Created'),'201','Created'), **errs(['400','401','403','404','422'])}}}
paths['/api/v1/cases/{id}/reports'] = {'parameters': caseparam,
  'get': {'operationId':'listReports','tags':['Documentation'],'summary':"The case's reports, newest period first (R19)",'responses': {**ok(arr(ref('Report'))), **errs(['401','403','404'])}},
  'post': {'operationId':'createReport','tags':['Documentation'],'summary':'Generate a report draft from the case: period, hours, goals with ratings, observations (R19)',
           'requestBody': body('ReportInput'), 'responses': {**ok(ref('Created'),'201','Created'), **errs(['400','401','403','404','422'])}}}
paths['/api/v1/reports/{id}'] = {'parameters': idparam,
  'get': {'operationId':'getReport','tags':['Documentation'],'summary':'One report with its sections and status (R19)','responses': {**ok(ref('Report')), **errs(['401','403','404'])}}}
paths['/api/v1/reports/{id}/sections/{key}'] = {'parameters': idparam + [sub('key','period, hours, goals, observations, assessment or perspective')],
  'put': {'operationId':'updateReportSection','tags':['Documentation'],'summary':'Save one section; an approved report cannot be changed','requestBody': body('ReportSectionInput'),
          'responses': {'204':{'description':'Saved'}, **errs(['400','401','403','404','422'])}}}
def report_step(op, summary, with_body=None):
    o = {'operationId':op,'tags':['Documentation'],'summary':summary,'responses': {**ok(ref('Report')), **errs(['400','401','403','404','422'])}}
    if with_body: o['requestBody'] = body(with_body)
    return {'parameters': idparam, 'post': o}
paths['/api/v1/reports/{id}/submit'] = report_step('submitReport', 'Hand the draft to the team lead for approval')
paths['/api/v1/reports/{id}/return'] = report_step('returnReport', 'Send a submitted report back to its author for changes (team lead, management)')
paths['/api/v1/reports/{id}/approve'] = report_step('approveReport', 'Approve a submitted report (team lead of the case or management, never its author)')
paths['/api/v1/reports/{id}/sent'] = report_step('markReportSent', 'Record that the report went to the youth office; creates its report entry once (R10)', 'ReportDayInput')
paths['/api/v1/reports/{id}/discussed'] = report_step('recordReportDiscussed', 'Record the day the report was discussed with the family (R19, seed 001)', 'ReportDayInput')
paths['/api/v1/reports/{id}/docx'] = {'parameters': idparam,
  'get': {'operationId':'downloadReportDocx','tags':['Documentation'],'summary':'The report as an editable Word document (DOCX, R19)',
          'responses': {'200': {'description':'Office Open XML document','headers':{'Content-Disposition':{'schema':S()}},
                                'content':{'application/vnd.openxmlformats-officedocument.wordprocessingml.document':{'schema':S(format='binary')}}},
                        **errs(['401','403','404'])}}}
# Child protection (R21): §8a procedures on a case. Need-to-know: the case's staff, their team lead and
# management; accounting and admin never. Steps are append-only: there is no PUT or DELETE.
paths['/api/v1/cases/{id}/child-protection'] = {'parameters': caseparam,
  'get': {'operationId':'listCaseChildProtection','tags':['Child protection'],'summary':"The case's §8a procedures, newest first (every read is audited)",
          'responses': {**ok(arr(ref('ChildProtectionSummary'))), **errs(['401','403','404'])}},
  'post': {'operationId':'openChildProtection','tags':['Child protection'],'summary':'Open a §8a procedure: the day the indications were noticed and what was observed (R21)',
           'requestBody': body('ChildProtectionOpening'), 'responses': {**ok(ref('Created'),'201','Created'), **errs(['400','401','403','404','422'])}}}
# Health records (issue 16, seed 003): special-category data. Need-to-know like §8a: the case's staff, their
# team lead and management; accounting and admin never. Reads are audited with the view, writes without content.
paths['/api/v1/cases/{id}/health-records'] = {'parameters': caseparam,
  'get': {'operationId':'listHealthRecords','tags':['Health'],'summary':"The case's health records, the latest start first (every read is audited)",
          'responses': {**ok(arr(ref('HealthRecord'))), **errs(['401','403','404'])}},
  'post': {'operationId':'createHealthRecord','tags':['Health'],'summary':'Record an illness, hospital stay, therapy or other health matter',
           'requestBody': body('HealthRecordInput'), 'responses': {**ok(ref('Created'),'201','Created'), **errs(['400','401','403','404','422'])}}}
paths['/api/v1/cases/{id}/health-records/{recordId}'] = {'parameters': caseparam + [sub('recordId','Health record id')],
  'put': {'operationId':'updateHealthRecord','tags':['Health'],'summary':'Correct a health record (e.g. record that the guardians were notified)',
          'requestBody': body('HealthRecordInput'), 'responses': {'204':{'description':'Saved'}, **errs(['400','401','403','404','422'])}},
  'delete': {'operationId':'deleteHealthRecord','tags':['Health'],'summary':'Delete a health record recorded by mistake',
             'responses': {'204':{'description':'Deleted'}, **errs(['401','403','404'])}}}
paths['/api/v1/child-protection'] = {
  'get': {'operationId':'listOpenChildProtection','tags':['Child protection'],'summary':'Every open §8a procedure, the one waiting longest first (management)',
          'responses': {**ok(arr(ref('OpenChildProtection'))), **errs(['401','403'])}}}
paths['/api/v1/child-protection/{id}'] = {'parameters': idparam,
  'get': {'operationId':'getChildProtection','tags':['Child protection'],'summary':'One procedure with every step, corrections included (R21)',
          'responses': {**ok(ref('ChildProtection')), **errs(['401','403','404'])}}}
paths['/api/v1/child-protection/{id}/steps'] = {'parameters': idparam,
  'post': {'operationId':'addChildProtectionStep','tags':['Child protection'],
           'summary':'Record the next step in order; a risk assessment names two professionals and an ISEF; a correction names the step it replaces (R21)',
           'requestBody': body('ChildProtectionStepInput'), 'responses': {**ok(ref('Created'),'201','Created'), **errs(['400','401','403','404','422'])}}}
paths['/api/v1/child-protection/{id}/meldebogen.docx'] = {'parameters': idparam,
  'get': {'operationId':'downloadMeldebogen','tags':['Child protection'],'summary':'The Meldebogen for the youth office as an editable Word document (DOCX)',
          'responses': {'200': {'description':'Office Open XML document','headers':{'Content-Disposition':{'schema':S()}},
                                'content':{'application/vnd.openxmlformats-officedocument.wordprocessingml.document':{'schema':S(format='binary')}}},
                        **errs(['401','403','404'])}}}
paths['/api/v1/isef-experts'] = {
  'get': {'operationId':'listIsefExperts','tags':['Child protection'],'summary':"The provider's list of insoweit erfahrene Fachkräfte (ISEF)",
          'responses': {**ok(arr(ref('IsefExpert'))), **errs(['401','403'])}},
  'post': {'operationId':'createIsefExpert','tags':['Child protection'],'summary':'Add an ISEF: external by name, or a staff member trained as ISEF',
           'requestBody': body('IsefExpertInput'), 'responses': {**ok(ref('Created'),'201','Created'), **errs(['400','401','403','422'])}}}
# Incidents (§47, R22) and complaints (R23): recorded by those who work on cases, read and followed by management.
paths['/api/v1/incidents'] = {
  'get': {'operationId':'listIncidents','tags':['Child protection'],'summary':'Every incident, open ones first; externalReportOverdue marks those not reported externally in time (management)',
          'responses': {**ok(arr(ref('Incident'))), **errs(['401','403'])}},
  'post': {'operationId':'createIncident','tags':['Child protection'],'summary':'Record an incident under §47 SGB VIII (R22)',
           'requestBody': body('IncidentInput'), 'responses': {**ok(ref('Created'),'201','Created'), **errs(['400','401','403','422'])}}}
paths['/api/v1/incidents/{id}'] = {'parameters': idparam,
  'get': {'operationId':'getIncident','tags':['Child protection'],'summary':'One incident with its reports and steps (management)',
          'responses': {**ok(ref('Incident')), **errs(['401','403','404'])}}}
paths['/api/v1/incidents/{id}/reports'] = {'parameters': idparam,
  'post': {'operationId':'addIncidentStep','tags':['Child protection'],
           'summary':'Record a report or step: internal or external report (to whom, how), documentation, those affected informed, review, closed (R22)',
           'requestBody': body('IncidentStepInput'), 'responses': {**ok(ref('Created'),'201','Created'), **errs(['400','401','403','404','422'])}}}
paths['/api/v1/complaints'] = {
  'get': {'operationId':'listComplaints','tags':['Child protection'],'summary':'Every complaint, open ones first; acknowledgementOverdue marks those not acknowledged in time (management)',
          'responses': {**ok(arr(ref('Complaint'))), **errs(['401','403'])}},
  'post': {'operationId':'createComplaint','tags':['Child protection'],'summary':'Record a complaint; the independent ombudsperson must have been offered (R23)',
           'requestBody': body('ComplaintInput'), 'responses': {**ok(ref('Created'),'201','Created'), **errs(['400','401','403','422'])}}}
paths['/api/v1/complaints/statistics'] = {
  'get': {'operationId':'getComplaintStatistics','tags':['Child protection'],'summary':'Complaints received in a period, counted per category and source (R23, R29)',
          'parameters':[{'name':'from','in':'query','required':False,'schema':date,'description':'Default: 1 January of this year'},
                        {'name':'to','in':'query','required':False,'schema':date,'description':'Default: today'}],
          'responses': {**ok(ref('ComplaintStatistics')), **errs(['400','401','403'])}}}
paths['/api/v1/complaints/{id}'] = {'parameters': idparam,
  'get': {'operationId':'getComplaint','tags':['Child protection'],'summary':'One complaint with its steps (management)',
          'responses': {**ok(ref('Complaint')), **errs(['401','403','404'])}}}
paths['/api/v1/complaints/{id}/steps'] = {'parameters': idparam,
  'post': {'operationId':'addComplaintStep','tags':['Child protection'],'summary':'Acknowledged, handled, resolved with an outcome, in this order (R23)',
           'requestBody': body('ComplaintStepInput'), 'responses': {**ok(ref('Created'),'201','Created'), **errs(['400','401','403','404','422'])}}}
paths['/api/v1/safeguarding-settings'] = {
  'get': {'operationId':'getSafeguardingSettings','tags':['Child protection'],'summary':'Where incidents are reported and how fast; the ombudsperson offered to complainants',
          'responses': {**ok(ref('SafeguardingSettings')), **errs(['401','403'])}},
  'put': {'operationId':'updateSafeguardingSettings','tags':['Child protection'],'summary':'Replace the settings (management)',
          'requestBody': body('SafeguardingSettings'), 'responses': {'204':{'description':'Saved'}, **errs(['400','401','403','422'])}}}
paths['/api/v1/provider'] = {
  'get': {'operationId':'getProvider','tags':['Master data'],'summary':"The provider's own data (404 until entered)",'responses': {**ok(ref('Provider')), **errs(['401','403','404'])}},
  'put': {'operationId':'updateProvider','tags':['Master data'],'summary':"Replace the provider's own data",'requestBody': body('Provider'),'responses': {'204':{'description':'Saved'}, **errs(['400','401','403','422'])}},
}
paths['/api/v1/audit-log'] = {'get': {'operationId':'listAuditEntries','tags':['Administration'],
  'summary':'Audit log, newest first: every read and change of case data (no content), filtered by case, user and period (R31)',
  'parameters':[{'name':'entity','in':'query','required':False,'schema':{'type':'string'}},
                {'name':'caseId','in':'query','required':False,'description':'Entries that refer to this case (reads, lists, changes, refusals)','schema':{'type':'string'}},
                {'name':'userId','in':'query','required':False,'schema':{'type':'string'}},
                {'name':'from','in':'query','required':False,'description':'First local day (YYYY-MM-DD), included','schema':{'type':'string','format':'date'}},
                {'name':'to','in':'query','required':False,'description':'Last local day (YYYY-MM-DD), included','schema':{'type':'string','format':'date'}},
                {'name':'limit','in':'query','required':False,'schema':{'type':'integer','minimum':1,'maximum':500,'default':100}},
                {'name':'offset','in':'query','required':False,'schema':{'type':'integer','minimum':0,'default':0}}],
  'responses': {**ok(arr(ref('AuditEntry'))), **errs(['400','401','403','422'])}}}

paths['/api/v1/persons/{id}/export'] = {'parameters': idparam,
  'get': {'operationId':'exportPerson','tags':['Administration'],
          'summary':'Everything stored about one person (R33, GDPR Art. 15): person, cases, every record of them, who read the files when (management; audited)',
          'responses': {'200': {'description':'The export', 'content': {'application/json': {'schema': {'type':'object'}}}}, **errs(['401','403','404'])}}}

# People and capacity (issue 14): intake (R1, R2), staff standards (R24, R25), load (R26), absence (R27), on-call (R28), guardians (R7).
def post(op, summary, inp, created=True, extra=None):
    responses = {**ok(ref('Created'),'201','Created')} if created else {'204':{'description':'Saved'}}
    return {'operationId':op,'tags':['People and capacity'],'summary':summary,'requestBody':body(inp),
            'responses':{**responses, **errs(['400','401','403','404','422'])}, **(extra or {})}
def get(op, summary, schema, params=None):
    g = {'operationId':op,'tags':['People and capacity'],'summary':summary,'responses':{**ok(schema), **errs(['400','401','403','404'])}}
    if params: g['parameters'] = params
    return g
yearparam = {'name':'year','in':'query','required':False,'schema':I(minimum=2000,maximum=2100),'description':'Default: this year'}
teamparam = {'name':'teamId','in':'query','required':False,'schema':S(),'description':'Only this team'}
paths['/api/v1/requests'] = {
  'get': get('listIntakeRequests','Requests of youth offices, open ones first (R1)', arr(ref('IntakeRequest')),
             [{'name':'status','in':'query','required':False,'schema':{'type':'string','enum':['open','accepted','declined']}}]),
  'post': post('createIntakeRequest','Record a request of a youth office to take a family (R1); the young person by initials only','IntakeRequestInput')}
paths['/api/v1/requests/{id}'] = {'parameters': idparam, 'get': get('getIntakeRequest','One request', ref('IntakeRequest'))}
paths['/api/v1/requests/{id}/capacity'] = {'parameters': idparam,
  'get': get('getRequestCapacity','Staff with free capacity for the request, most room first; qualified says whether they have the offer\'s qualification (R2)',
             arr(ref('StaffCapacity')))}
paths['/api/v1/requests/{id}/accept'] = {'parameters': idparam,
  'post': {'operationId':'acceptIntakeRequest','tags':['People and capacity'],'summary':'Accept: creates the case with the request\'s youth office and offer (R1, R25, R26)',
           'requestBody':body('IntakeAcceptInput'),'responses':{**ok(ref('CreatedCase'),'201','Created'), **errs(['400','401','403','404','422'])}}}
paths['/api/v1/requests/{id}/decline'] = {'parameters': idparam,
  'post': post('declineIntakeRequest','Decline with a reason (R1)','DeclineInput', created=False)}
paths['/api/v1/capacity'] = {'get': get('listCapacity','Every staff member\'s free weekly capacity and planned load today (R2, R26)', arr(ref('StaffCapacity')), [teamparam])}
paths['/api/v1/staff-standards'] = {'get': get('listStaffStandards','Staff standards of a year for every staff member you manage (R24–R26)',
                                               arr(ref('StaffStandardsRow')), [yearparam, teamparam])}
paths['/api/v1/staff/{id}/standards'] = {'parameters': idparam,
  'get': get('getStaffStandards','One staff member\'s standards in a year (R24–R26): management, the team lead, the person', ref('StaffStandards'), [yearparam])}
paths['/api/v1/staff/{id}/certificates'] = {'parameters': idparam,
  'post': post('addCertificate','An extended criminal record certificate, valid 5 years (R24)','CertificateInput')}
paths['/api/v1/staff/{id}/trainings'] = {'parameters': idparam,
  'post': post('addTraining','A training: 15.6 hours a year are needed (R25); the person may record their own','TrainingInput')}
paths['/api/v1/staff/{id}/supervisions'] = {'parameters': idparam,
  'post': post('addSupervision','An external supervision: 8 of at least 120 minutes a year (R25); the person may record their own','SupervisionInput')}
paths['/api/v1/staff/{id}/acknowledgements'] = {'parameters': idparam,
  'post': post('addAcknowledgement','The yearly acknowledgement of the §8a procedure (R25)','DayInput')}
paths['/api/v1/staff/{id}/induction'] = {'parameters': idparam,
  'post': post('recordInduction','An induction module done; before both, the person may not lead a case (R25)','InductionInput')}
paths['/api/v1/staff/{id}/absences'] = {'parameters': idparam,
  'get': get('listAbsences','The staff member\'s absences, newest first (R27)', arr(ref('Absence'))),
  'post': post('addAbsence','Record an absence; overlapping ones are refused (R27)','AbsenceInput')}
paths['/api/v1/absences/{id}'] = {'parameters': idparam,
  'get': get('getAbsence','An absence with the person\'s cases and proposed substitutes (equal qualification, free capacity) (R27)', ref('AbsenceDetail'))}
paths['/api/v1/absences/{id}/substitutes'] = {'parameters': idparam,
  'post': post('chooseSubstitute','Make a proposed colleague the substitute on one case for the whole absence (R27)','AbsenceSubstituteInput', created=False)}
paths['/api/v1/absences/{id}/replacements'] = {'parameters': idparam,
  'post': post('agreeReplacement','Beyond 6 weeks: the replacement was agreed with youth office and family for a case (R27)','AbsenceReplacementInput', created=False)}
paths['/api/v1/on-call'] = {
  'get': get('listOnCall','The on-call plan of a month with the gaps in its 24-hour coverage (R28)', ref('OnCallMonth'),
             [{'name':'month','in':'query','required':False,'schema':S(pattern=r'^\d{4}-\d{2}$',example='2026-12'),'description':'Default: this month'}]),
  'post': post('createOnCallShift','Add a shift; overlapping shifts are refused (R28)','OnCallInput')}
paths['/api/v1/on-call/now'] = {'get': get('getOnCallNow','Who is on call now (R28)', ref('OnCallNow'))}
paths['/api/v1/on-call/{id}'] = {'parameters': idparam,
  'delete': {'operationId':'deleteOnCallShift','tags':['People and capacity'],'summary':'Remove a shift','responses':{'204':{'description':'Removed'}, **errs(['401','403','404'])}}}
paths['/api/v1/cases/{id}/independent-living'] = {'parameters': idparam,
  'put': post('setIndependentLiving','Mark a minor moving to independent living from a day (null: unmark); a month without guardian contact is an alert (R7)',
              'IndependentLivingInput', created=False)}
# Statistics (R29): management, team leads (own team), accounting (money and hours only).
statparams = [{'name':'from','in':'query','required':True,'schema':date},{'name':'to','in':'query','required':True,'schema':date},
              {'name':'youthOfficeId','in':'query','required':False,'schema':S()},{'name':'offerId','in':'query','required':False,'schema':S()},
              {'name':'teamId','in':'query','required':False,'schema':S(),'description':'Team leads: one of their teams (default: all of them)'}]
paths['/api/v1/statistics'] = {'get': {'operationId':'getStatistics','tags':['Statistics'],
  'summary':'Case statistics of a period (R29): begun, running, ended with reasons, length of help, per youth office and offer, hours by kind, goals, counts of complaints and §8a procedures',
  'parameters': statparams, 'responses': {**ok(ref('Statistics')), **errs(['400','401','403','422'])}}}
paths['/api/v1/statistics.csv'] = {'get': {'operationId':'exportStatisticsCSV','tags':['Statistics'],'summary':'The same figures as CSV (semicolons, UTF-8, decimal commas)',
  'parameters': statparams,
  'responses': {'200': {'description':'Semicolon-separated, UTF-8','content':{'text/csv':{'schema':S()}}}, **errs(['400','401','403','422'])}}}
# The performance report (R30): management and team leads (own team) draft; management approves.
def prstep(op, summary, inp=None):
    o = {'operationId':op,'tags':['Statistics'],'summary':summary,'responses':{'204':{'description':'Saved'}, **errs(['400','401','403','404','422'])}}
    if inp: o['requestBody'] = body(inp)
    return o
paths['/api/v1/performance-reports'] = {
  'get': {'operationId':'listPerformanceReports','tags':['Statistics'],'summary':'Performance reports, newest period first',
          'responses': {**ok(arr(ref('PerformanceReport'))), **errs(['401','403'])}},
  'post': {'operationId':'createPerformanceReport','tags':['Statistics'],'summary':'Draft a Leistungsbericht for a finished period of (usually) two years (R30)',
           'requestBody': body('PerformanceReportInput'), 'responses': {**ok(ref('Created'),'201','Created'), **errs(['400','401','403','422'])}}}
paths['/api/v1/performance-reports/{id}'] = {'parameters': idparam,
  'get': {'operationId':'getPerformanceReport','tags':['Statistics'],'summary':'One performance report with its figures and texts',
          'responses': {**ok(ref('PerformanceReport')), **errs(['401','403','404'])}}}
paths['/api/v1/performance-reports/{id}/sections/{section}'] = {'parameters': idparam + [sub('section','offer, staff, quality or outlook')],
  'put': prstep('updatePerformanceReportSection','Replace one text of a draft','ReportSectionInput')}
paths['/api/v1/performance-reports/{id}/figures'] = {'parameters': idparam,
  'post': prstep('refreshPerformanceReportFigures','Recompute the figures of a draft')}
paths['/api/v1/performance-reports/{id}/approve'] = {'parameters': idparam,
  'post': prstep('approvePerformanceReport','Approve (management); the figures are frozen')}
paths['/api/v1/performance-reports/{id}/submit'] = {'parameters': idparam,
  'post': prstep('submitPerformanceReport','Submitted to the youth office on a day: the Trägergespräch is due 12 weeks later','ReportDayInput')}
paths['/api/v1/performance-reports/{id}/meeting'] = {'parameters': idparam,
  'post': prstep('recordProviderMeeting','The Trägergespräch was held on a day','ReportDayInput')}
paths['/api/v1/performance-reports/{id}/docx'] = {'parameters': idparam,
  'get': {'operationId':'downloadPerformanceReportDocx','tags':['Statistics'],'summary':'The Leistungsbericht as an editable Word document (DOCX)',
          'responses': {'200': {'description':'Office Open XML document','headers':{'Content-Disposition':{'schema':S()}},
                                'content':{'application/vnd.openxmlformats-officedocument.wordprocessingml.document':{'schema':S(format='binary')}}},
                        **errs(['401','403','404'])}}}
# DATEV (accounting): the month's numbered invoices as a Buchungsstapel.
paths['/api/v1/invoices.datev'] = {
  'get': {'operationId':'exportInvoicesDatev','tags':['Billing'],'summary':'The invoices and cancellations issued in a month as a DATEV Buchungsstapel (EXTF 700, Windows-1252, CRLF; Belegdatum = invoice date)',
          'parameters':[{'name':'month','in':'query','required':True,'schema':S(pattern=r'^\d{4}-\d{2}$', example='2026-11')}],
          'responses': {'200': {'description':'DATEV format, Windows-1252','headers':{'Content-Disposition':{'schema':S()}},
                                'content':{'text/csv':{'schema':S(format='binary')}}}, **errs(['400','401','403','422'])}}}
paths['/api/v1/datev-settings'] = {
  'get': {'operationId':'getDatevSettings','tags':['Billing'],'summary':'Consultant and client number, fiscal year, accounts (accounting)',
          'responses': {**ok(ref('DatevSettings')), **errs(['401','403'])}},
  'put': {'operationId':'updateDatevSettings','tags':['Billing'],'summary':'Replace the DATEV settings','requestBody': body('DatevSettings'),
          'responses': {'204':{'description':'Saved'}, **errs(['400','401','403','422'])}}}

def obj(props, req): return {'type':'object','properties':props,'required':req}
settings_props = collections.OrderedDict([
 ('firstReviewMonths', I(minimum=1, maximum=24, description='R3, default 6')),
 ('reviewIntervalMonths', I(minimum=1, maximum=24, description='R3, default 6')),
 ('reportLeadDays', I(minimum=0, maximum=90, description='R4, default 14')),
 ('planDocumentDays', I(minimum=1, maximum=90, description='R5, default 14')),
 ('costApprovalDays', I(minimum=1, maximum=90, description='R5, default 14')),
 ('specificationWeeksFrom', I(minimum=1, maximum=52, description='R5, default 6')),
 ('specificationWeeksTo', I(minimum=1, maximum=52, description='R5, default 8')),
 ('noContactAlertDays', I(minimum=1, maximum=365, description='R7a, default 14')),
 ('balancing', {'$ref':'#/components/schemas/Balancing'}),
 ('reportHours', {**hours, 'description':'R10, default "1"'}),
 ('onboardingDayHours', {**hours, 'description':'R10, default "0" (the offer sets its own)'}),
 ('shortNoticeHours', I(minimum=0, maximum=168, description='R10, default 24')),
 ('shortNoticeBillablePercent', I(minimum=0, maximum=100, description='R10, default 50')),
 ('shortNoticeBudgetPercent', I(minimum=0, maximum=100, description='R10, default 100')),
 ('travelMode', {'$ref':'#/components/schemas/TravelMode'}),
 ('travelFlatRate', {**money, 'description':'R10, default "0.00"'}),
 ('travelRatePerKm', {**money, 'description':'R10, default "0.00"'}),
 ('noShowAlertAfter', I(minimum=1, maximum=20, description='R12, default 3')),
 ('roundingMinutes', I(minimum=1, maximum=60, description='R13, a divisor of 60, default 1')),
 ('requireClientSignature', {'type':'boolean','description':'R15, default true'}),
 ('blockAfterYears', I(minimum=1, maximum=100, description='R32, default 5')),
 ('deleteAfterAge', I(minimum=18, maximum=130, description='R32, default 100')),
 ('invoiceRetentionYears', I(minimum=8, maximum=30, description='R32, default 8')),
])
schemas = {
 'Problem': {'type':'object','description':'RFC 9457 problem details; detail is German.','properties':{
    'type':S(),'title':S(),'status':I(),'detail':S(),'instance':S(),
    'errors': arr(obj({'field':S(description='Field in the request, e.g. address.city or rates[0].hourlyRate'),'detail':S()},['field','detail']))},
    'required':['title','status','detail']},
 'Created': obj({'id':S()},['id']),
 'SessionRequest': obj({'username':S(),'password':S()},['username','password']),
 'Session': obj({'token':S(),'expiresAt':S(format='date-time')},['token','expiresAt']),
 'Role': {'type':'string','enum':['admin','management','teamLead','caseworker','accounting']},
 'Qualification': {'type':'string','enum':['socialWorker','educationScientist','educator','psychologist','homeEconomist','other']},
 'Balancing': {'type':'string','enum':['perUnit','wholePeriod'],'description':'R8'},
 'TravelMode': {'type':'string','enum':['perVisit','perKm','none'],'description':'R10'},
 'Me': obj({'id':S(),'username':S(),'displayName':S(),'roles':arr(ref('Role')),'staffId':S()},['id','username','displayName','roles']),
 'Address': obj({'street':S(),'postalCode':S(example='58636'),'city':S()},['street','postalCode','city']),
 'AddressInput': obj({'street':S(),'postalCode':S(example='58636'),'city':S()},[]),
 'ContactPerson': obj({'name':S(),'phone':S(),'email':S(),'deputyName':S(),'deputyPhone':S(),'deputyEmail':S()},['name']),
 'YouthOfficeInput': obj({'name':S(),'leitwegId':S(example='05962024-0001-33'),'address':ref('Address'),'email':S(),'phone':S(),'contacts':arr(ref('ContactPerson'))},['name','leitwegId','address']),
 'YouthOffice': obj({'id':S(),'name':S(),'leitwegId':S(),'address':ref('Address'),'email':S(),'phone':S(),'contacts':arr(ref('ContactPerson'))},['id','name','leitwegId','address','contacts']),
 'OfferInput': obj({'name':S(),'legalBasis':S(example='§ 27 i. V. m. § 30 SGB VIII'),'description':S(),'firstReviewMonths':I(minimum=1,maximum=24),'onboardingDayHours':hours,'requiredQualification':ref('Qualification')},['name','legalBasis']),
 'Offer': obj({'id':S(),'name':S(),'legalBasis':S(),'description':S(),'firstReviewMonths':I(),'onboardingDayHours':hours,'requiredQualification':ref('Qualification')},['id','name','legalBasis']),
 'AgreementSettingsInput': {'type':'object','description':'Every setting is optional; an omitted one takes its default.','properties':dict(settings_props)},
 'AgreementSettings': {'type':'object','properties':dict(settings_props),'required':list(settings_props.keys())},
 'RateInput': obj({'offerId':S(),'hourlyRate':money},['offerId','hourlyRate']),
 'Rate': obj({'offerId':S(),'offerName':S(),'hourlyRate':money},['offerId','offerName','hourlyRate']),
 'AgreementInput': obj({'youthOfficeId':S(),'validFrom':date,'validTo':date,'rates':arr(ref('RateInput')),'settings':ref('AgreementSettingsInput')},['youthOfficeId','validFrom','rates']),
 'Agreement': obj({'id':S(),'youthOfficeId':S(),'youthOfficeName':S(),'validFrom':date,'validTo':date,'rates':arr(ref('Rate')),'settings':ref('AgreementSettings')},['id','youthOfficeId','youthOfficeName','validFrom','rates','settings']),
 'TeamInput': obj({'name':S(),'location':S(),'leadStaffId':S()},['name','location']),
 'Team': obj({'id':S(),'name':S(),'location':S(),'leadStaffId':S(),'leadName':S(),'memberCount':I()},['id','name','location','memberCount']),
 'StaffInput': obj({'firstName':S(),'lastName':S(),'weeklyHours':hours,'teamId':S(),'qualification':ref('Qualification'),'email':S(),'userId':S(),'inductionCompleted':date,
                    'leavingDate':{**date,'description':'Last working day; afterwards not offered for cases (issue 16). Omit when not leaving.'}},['firstName','lastName','weeklyHours','teamId','qualification']),
 'StaffMember': obj({'id':S(),'firstName':S(),'lastName':S(),'weeklyHours':hours,'teamId':S(),'teamName':S(),'qualification':ref('Qualification'),'email':S(),'userId':S(),'username':S(),'inductionCompleted':date,
                     'leavingDate':{**date,'description':'Last working day (issue 16)'}},['id','firstName','lastName','weeklyHours','teamId','teamName','qualification']),
 'Provider': obj({'name':S(),'address':ref('Address'),'taxNumber':S(),'iban':S(),'bic':S(),'bankName':S(),'email':S(),'phone':S(),
   'productivePercent':I(minimum=30,maximum=100,description='R2: share of contract hours that is client work, default 75'),
   'requestAlertDays':I(minimum=1,maximum=90,description='R1: open requests older than this are an alert, default 7')},['name','address','taxNumber','iban']),
 'IntakeRequestInput': obj({'youthOfficeId':S(),'offerId':S(),'receivedOn':date,'contact':S(description='The youth office contact'),
   'hours':hours,'per':{'type':'string','enum':['week','month','halfYear']},'urgency':{'type':'string','enum':['normal','urgent','crisis']},
   'reason':S(description='A short reason'),'initials':S(description='Initials of the young person only, never a name')},
   ['youthOfficeId','offerId','receivedOn','hours','per','reason']),
 'IntakeRequest': obj({'id':S(),'youthOfficeId':S(),'youthOfficeName':S(),'offerId':S(),'offerName':S(),'receivedOn':date,'contact':S(),'hours':hours,
   'per':S(),'weeklyMinutes':I(),'urgency':S(),'reason':S(),'initials':S(),'status':{'type':'string','enum':['open','accepted','declined']},
   'overdue':{'type':'boolean'},'decidedOn':date,'declineReason':S(),'caseId':S()},
   ['id','youthOfficeId','youthOfficeName','offerId','offerName','receivedOn','hours','per','weeklyMinutes','urgency','reason','status','overdue']),
 'IntakeAcceptInput': obj({'leadStaffId':S(),'coWorkerIds':arr(S()),'fileNumber':S(),'startDate':date,'youngPerson':ref('PersonInput'),
   'exceptionReason':S(description='R26: why someone is assigned beyond 48 hours or without the qualification')},['leadStaffId','fileNumber','startDate','youngPerson']),
 'DeclineInput': obj({'reason':S()},['reason']),
 'CreatedCase': obj({'caseId':S()},['caseId']),
 'StaffCapacity': obj({'staffId':S(),'name':S(),'teamId':S(),'teamName':S(),'qualification':ref('Qualification'),'contractMinutes':I(),'budgetMinutes':I(),
   'freeWeeklyMinutes':I(),'plannedWeeklyMinutes':I(),'qualified':{'type':'boolean'},'absentUntil':date},
   ['staffId','name','teamId','teamName','qualification','contractMinutes','budgetMinutes','freeWeeklyMinutes','plannedWeeklyMinutes','qualified']),
 'StaffStandards': obj({'staffId':S(),'year':I(),'certificateValidUntil':date,'trainingMinutes':I(),'supervisionsCounted':I(),'acknowledged':{'type':'boolean'},
   'inductionComplete':{'type':'boolean'},'plannedWeeklyMinutes':I(),'met':{'type':'boolean'},
   'missing':{**arr({'type':'string','enum':['certificate','training','supervision','acknowledgement','induction','load']}),'description':'Items not met (due soon or missing)'},
   'states':{'type':'object','additionalProperties':{'type':'string','enum':['met','open','missing']}}},
   ['staffId','year','trainingMinutes','supervisionsCounted','acknowledged','inductionComplete','plannedWeeklyMinutes','met','missing','states']),
 'StaffStandardsRow': obj({'staffId':S(),'name':S(),'teamName':S(),'standards':ref('StaffStandards')},['staffId','name','teamName','standards']),
 'CertificateInput': obj({'issuedOn':date},['issuedOn']),
 'TrainingInput': obj({'date':date,'title':S(),'hours':hours},['date','title','hours']),
 'SupervisionInput': obj({'date':date,'minutes':I()},['date','minutes']),
 'DayInput': obj({'date':date},['date']),
 'InductionInput': obj({'module':I(minimum=1,maximum=2),'date':date},['module','date']),
 'AbsenceInput': obj({'from':date,'to':date,'kind':{'type':'string','enum':['vacation','illness','parentalLeave','training','other']}},['from','to','kind']),
 'Absence': obj({'id':S(),'staffId':S(),'from':date,'to':date,'kind':S(),'kindName':S(),'days':I(),'replacementDue':date},['id','staffId','from','to','kind','kindName','days']),
 'AbsenceDetail': obj({'absence':ref('Absence'),'cases':arr(obj({'caseId':S(),'fileNumber':S(),'substitutes':arr(S()),'replacementAgreedOn':date},['caseId','fileNumber','substitutes'])),
   'proposals':arr(ref('StaffCapacity'))},['absence','cases','proposals']),
 'AbsenceSubstituteInput': obj({'caseId':S(),'staffId':S()},['caseId','staffId']),
 'AbsenceReplacementInput': obj({'caseId':S(),'date':date},['caseId','date']),
 'OnCallInput': obj({'staffId':S(),'from':S(example='2026-12-01T08:00',description='Local time (Europe/Berlin), YYYY-MM-DDTHH:MM'),
   'to':S(example='2026-12-02T08:00',description='Local time (Europe/Berlin), YYYY-MM-DDTHH:MM')},['staffId','from','to']),
 'OnCallShift': obj({'id':S(),'staffId':S(),'staffName':S(),'from':S(),'to':S()},['id','staffId','staffName','from','to']),
 'OnCallMonth': obj({'month':S(),'shifts':arr(ref('OnCallShift')),'gaps':arr(obj({'from':S(),'to':S()},['from','to']))},['month','shifts','gaps']),
 'OnCallNow': obj({'onCall':{'type':'boolean'},'staffId':S(),'staffName':S(),'from':S(),'to':S()},['onCall']),
 'GroupFigures': obj({'id':S(),'name':S(),'cases':I(description='Running on at least one day of the period'),'begun':I(),'runningAtStart':I(),
   'runningAtEnd':I(),'ended':I(),'approvedMinutes':I(description='Budgets of the budget windows beginning in the period'),
   'deliveredMinutes':I(description='Budget minutes of the entries dated in the period'),'billed':{**money,'description':'Invoices of the months, cancellations subtracted'}},
   ['id','name','cases','begun','runningAtStart','runningAtEnd','ended','approvedMinutes','deliveredMinutes','billed']),
 'Statistics': obj({'from':date,'to':date,'begun':I(),'runningAtStart':I(),'runningAtEnd':I(),'ended':I(),
   'endReasons':{'type':'object','additionalProperties':I(),'description':'Count per end reason (not for accounting)'},
   'lengthDays':obj({'median':{'type':'number'},'mean':{'type':'number'},'count':I(),
     'distribution':arr(obj({'label':S(),'count':I()},['label','count']))},['median','mean','count','distribution']),
   'byYouthOffice':arr(ref('GroupFigures')),'byOffer':arr(ref('GroupFigures')),
   'approvedMinutes':I(),'deliveredMinutes':I(),'billed':money,
   'byKind':{'type':'object','additionalProperties':I(),'description':'Actual minutes per entry kind'},
   'appointments':I(),'shortNoticeCancellations':I(),'shortNoticeSharePercent':{'type':'number','description':'One decimal'},
   'goalAttainment':{'type':'object','additionalProperties':I(),'description':'Latest rating (1–5) in the period per goal: count (not for accounting)'},
   'complaints':I(),'childProtectionProcedures':I(),'incidents':I()},
   ['from','to','begun','runningAtStart','runningAtEnd','ended','byYouthOffice','byOffer','approvedMinutes','deliveredMinutes','billed','byKind',
    'appointments','shortNoticeCancellations']),
 'PerformanceReportInput': obj({'from':date,'to':date,'teamId':S(description='Team leads: their team')},['from','to']),
 'PerformanceReport': obj({'id':S(),'from':date,'to':date,'teamName':S(),'status':{'type':'string','enum':['draft','approved','submitted']},
   'statusName':S(),'texts':{'type':'object','additionalProperties':S()},
   'figures':arr(obj({'section':S(),'figure':S(),'group':S(),'value':S()},['section','figure','group','value'])),
   'approvedOn':date,'submittedOn':date,'meetingDue':date,'meetingOn':date},['id','from','to','status','statusName','texts','figures']),
 'DatevSettings': obj({'consultantNumber':I(minimum=1001,maximum=9999999),'clientNumber':I(minimum=1,maximum=99999),
   'fiscalYearStartMonth':I(minimum=1,maximum=12),'accountLength':I(minimum=4,maximum=8),
   'revenueAccount':S(description='Revenue for VAT-exempt social services, e.g. 8100 (SKR03)'),
   'debtorAccounts':arr(obj({'youthOfficeId':S(),'account':S()},['youthOfficeId','account']))},['consultantNumber','clientNumber','debtorAccounts']),
 'IndependentLivingInput': obj({'since':{**date,'description':'Null or absent: no longer marked'}},[]),
 'UserInput': obj({'username':S(),'displayName':S(),'roles':arr(ref('Role')),'password':S(description='Required when creating; omit to keep the current one')},['username','roles']),
 'User': obj({'id':S(),'username':S(),'displayName':S(),'roles':arr(ref('Role')),'isActive':{'type':'boolean'},
               'deactivatedAt':S(format='date-time',description='When the login was deactivated (issue 16)')},['id','username','displayName','roles','isActive']),
 'PasswordChangeInput': obj({'currentPassword':S(),'newPassword':S(description='At least 10 characters, at most 72 bytes, not a common password')},['currentPassword','newPassword']),
 'HealthKind': {'type':'string','enum':['illness','hospitalStay','therapy','other'],'description':'Erkrankung, Krankenhausaufenthalt, Therapie, Sonstiges'},
 'HealthRecordInput': obj({'kind':ref('HealthKind'),'description':S(maxLength=4000),'from':date,'to':date,'serious':{'type':'boolean','default':False},
                           'guardiansNotifiedOn':{**date,'description':'Only on a serious record: when the guardians were told'},
                           'guardiansNotifiedBy':S(description='Who told them')},['kind','description','from']),
 'HealthRecord': obj({'id':S(),'caseId':S(),'kind':ref('HealthKind'),'kindName':S(),'description':S(),'from':date,'to':date,'serious':{'type':'boolean'},
                      'guardiansNotifiedOn':date,'guardiansNotifiedBy':S(),'guardiansToBeNotified':{'type':'boolean','description':'Serious and the guardians not told yet'},
                      'createdAt':S(format='date-time'),'createdByName':S(),'updatedAt':S(format='date-time'),'updatedByName':S()},
                     ['id','caseId','kind','kindName','description','from','serious','guardiansToBeNotified','createdAt']),
 'PersonInput': obj({'firstName':S(),'lastName':S(),'birthDate':date,'relation':S(),'phone':S()},['firstName','lastName']),
 'Person': obj({'id':S(),'firstName':S(),'lastName':S(),'birthDate':date,'relation':S(),'phone':S()},['firstName','lastName']),
 'CaseInput': obj({'youthOfficeId':S(),'offerId':S(),'fileNumber':S(),'startDate':date,'youngPerson':ref('PersonInput'),'leadStaffId':S(),
   'coWorkerIds':arr(S()),'guardians':arr(ref('PersonInput')),'youthOfficeCaseworker':S(),'youthOfficeCaseworkerPhone':S(),
   'familyAddress':{**ref('Address'),'description':'Where the family lives, for home visits; optional'},
   'exceptionReason':S(description='R26: why someone is assigned beyond 48 hours a week or without the offer\'s qualification')},
   ['youthOfficeId','offerId','fileNumber','startDate','youngPerson','leadStaffId']),
 'CaseStaff': obj({'staffId':S(),'name':S(),'role':{'type':'string','enum':['lead','coWorker','substitute']},'from':date,'to':date},['staffId','name','role']),
 'Case': obj({'id':S(),'fileNumber':S(),'status':{'type':'string','enum':['planned','running','ended']},'youngPerson':ref('Person'),'guardians':arr(ref('Person')),
   'youthOfficeId':S(),'youthOfficeName':S(),'offerId':S(),'offerName':S(),'teamId':S(),'teamName':S(),'startDate':date,'endDate':date,
   'endReason':{'type':'string','enum':['goalsReached','changeOfHelpType','lackOfCooperation','movedAway','other']},
   'youthOfficeCaseworker':S(),'youthOfficeCaseworkerPhone':S(),
   'familyAddress':{**ref('Address'),'description':'Only with full access to the case (not for accounting)'},'staff':arr(ref('CaseStaff'))},
   ['id','fileNumber','status','youngPerson','guardians','youthOfficeId','youthOfficeName','offerId','offerName','teamId','teamName','startDate','staff']),
 'SubstituteInput': obj({'staffId':S(),'from':date,'to':date},['staffId','from','to']),
 'ApprovalInput': obj({'from':date,'to':date,'hours':hours,'per':S(description='week, month, halfYear or period'),'reference':S(),'staffIds':arr(S())},['from','to','hours','per']),
 'Increase': obj({'id':S(),'hours':hours,'confirmedOn':date,'appliesOn':date,'note':S()},['id','hours','confirmedOn','appliesOn']),
 'IncreaseInput': obj({'hours':hours,'confirmedOn':date,'appliesOn':{**date,'description':'A day in the budget window the hours add to; default the confirmation day'},'note':S()},['hours','confirmedOn']),
 'Approval': obj({'id':S(),'from':date,'to':date,'hours':hours,'per':{'type':'string','enum':['week','month','halfYear','period']},'reference':S(),'staffIds':arr(S()),
   'balancing':ref('Balancing'),'increases':arr(ref('Increase'))},['id','from','to','hours','per','staffIds','balancing','increases']),
 'BudgetStatus': obj({'approvalId':S(),'from':date,'to':date,'approvedMinutes':I(),'usedMinutes':I(),'remainingMinutes':I(),'overBudgetMinutes':I()},
   ['from','to','approvedMinutes','usedMinutes','remainingMinutes','overBudgetMinutes']),
 'EntryInput': obj({'staffId':S(description='Default: the signed-in staff member'),'date':date,'start':S(example='14:30',description='Europe/Berlin'),
   'minutes':I(description='Actual minutes; for cancelled and noShow the planned length'),'end':S(example='15:15',description='Alternative to minutes'),
   'kind':S(description='direct, institution, planningMeeting, report, onboardingDay, crisis, cancelled, noShow, indirect'),
   'cancelledBy':S(description='client or provider (kind cancelled)'),'cancelledAt':S(example='2026-11-20T08:15:00+01:00',description='ISO 8601 date-time of the cancellation (kind cancelled); without offset read as Europe/Berlin'),
   'homeVisit':{'type':'boolean'},'kilometres':I(minimum=0,maximum=2000),
   'note':S(description='A short internal note (at most 500 characters); never on the service record'),
   'guardianContact':{'type':'boolean','description':'R7: the guardians were contacted'}},['date','start','kind']),
 'Entry': obj({'id':S(),'caseId':S(),'staffId':S(),'staffName':S(),'date':date,'start':S(),'minutes':I(),'kind':S(),'kindName':S(),
   'cancelledBy':S(),'cancelledAt':S(description='ISO 8601 date-time, Europe/Berlin offset'),'homeVisit':{'type':'boolean'},'kilometres':I(),'groupSessionId':S(),
   'guardianContact':{'type':'boolean'},
   'note':S(description='Only with full access to the case (not for accounting)'),
   'billableMinutes':I(description='After the budget: minutes beyond it are not billable until an increase'),'budgetMinutes':I(),'overBudgetMinutes':I(),'travel':money},
   ['id','caseId','staffId','staffName','date','start','minutes','kind','kindName','homeVisit','billableMinutes','budgetMinutes','overBudgetMinutes','travel']),
 'GroupSessionInput': obj({'date':date,'start':S(example='16:00'),'minutes':I(),'staffIds':arr(S()),'caseIds':arr(S())},['date','start','minutes','staffIds','caseIds']),
 'GroupSession': obj({'id':S(),'date':date,'start':S(example='16:00'),'minutes':I(),'staffIds':arr(S()),
                      'cases':arr(obj({'caseId':S(),'fileNumber':S(),'minutes':I(description='The case\'s share: its share entries together (R10)')},['caseId','fileNumber','minutes'])),
                      'otherCaseCount':I(description='Cases present you may not see')},['id','date','start','minutes','staffIds','cases','otherCaseCount']),
 'Alert': obj({'caseId':S(),'fileNumber':S(),'caseName':S(),'kind':{'type':'string','enum':['noShowStreak','overBudget','crisisConfirmationMissing','noContact','noApproval','approvalEnding','deadlineOverdue','deadlineDue','childProtectionReport','guardianContactMissing']},
   'since':date,'title':S(),'action':S()},['caseId','fileNumber','caseName','kind','since','title','action']),
 'CarePlanMeetingInput': obj({'date':date,'time':S(example='14:30'),'durationMinutes':I(minimum=1,maximum=720),
   'kind':{'type':'string','enum':['initial','specification','review','closing']},'state':{'type':'string','enum':['planned','held'],'default':'planned'},
   'nextReviewMovedTo':{**date,'description':'R3: the next review moved earlier (crisis, changed circumstances)'},
   'scheduledOn':{**date,'description':'When the provider learned of the date (seed 003: report due only if known in time)'},
   'reportMissingReason':S(description='R4: why a review was held without its progress report'),'participants':arr(S()),'outcome':S()},['date','kind']),
 'CarePlanMeeting': obj({'id':S(),'date':date,'time':S(),'durationMinutes':I(),'kind':S(),'kindName':S(),'state':S(),'nextReviewMovedTo':date,
   'scheduledOn':date,'reportMissingReason':S(),'participants':arr(S()),'outcome':S(),
   'version':I(minimum=1,description='1 until corrected; each correction adds one'),
   'earlierVersions':arr(ref('CarePlanMeetingVersion'))},['id','date','kind','kindName','state','participants','version','earlierVersions']),
 'CarePlanMeetingVersion': obj({'version':I(minimum=1),'writtenAt':S(format='date-time'),'replacedAt':S(format='date-time'),
   'date':date,'time':S(),'durationMinutes':I(),'kind':S(),'kindName':S(),'state':S(),'nextReviewMovedTo':date,
   'scheduledOn':date,'reportMissingReason':S(),'participants':arr(S()),'outcome':S()},
   ['version','replacedAt','date','kind','kindName','state','participants']),
 'CarePlanDocumentInput': obj({'kind':{'type':'string','enum':['signedCarePlan','costApproval','specification']},'receivedOn':date,'meetingId':S()},['kind','receivedOn']),
 'CarePlanDocument': obj({'id':S(),'kind':S(),'receivedOn':date,'meetingId':S(),
   'version':I(minimum=1,description='1 until corrected; each correction adds one'),
   'earlierVersions':arr(ref('CarePlanDocumentVersion'))},['id','kind','receivedOn','version','earlierVersions']),
 'CarePlanDocumentVersion': obj({'version':I(minimum=1),'writtenAt':S(format='date-time'),'replacedAt':S(format='date-time'),
   'kind':S(),'receivedOn':date,'meetingId':S()},['version','replacedAt','kind','receivedOn']),
 'Deadline': obj({'key':S(),'kind':{'type':'string','enum':['signedCarePlan','costApproval','specification','review','progressReport','finalReport','shortReport','statusReport','protectionCheck','replacement','providerMeeting']},
   'title':S(),'due':date,'windowStart':date,'regularDue':{**date,'description':'Set when a review was moved earlier'},
   'status':{'type':'string','enum':['open','done','overdue','waived']},'doneOn':date,'note':S()},['key','kind','title','due','status']),
 'CaseDeadline': obj({'caseId':S(),'fileNumber':S(),'caseName':S(description='Initials only'),'deadline':ref('Deadline')},['caseId','fileNumber','caseName','deadline']),
 'CarePlan': obj({'caseId':S(),'meetings':arr(ref('CarePlanMeeting')),'documents':arr(ref('CarePlanDocument')),'deadlines':arr(ref('Deadline'))},
   ['caseId','meetings','documents','deadlines']),
 'EndCaseInput': obj({'date':date,'reason':{'type':'string','enum':['goalsReached','changeOfHelpType','lackOfCooperation','movedAway','other']}},['date','reason']),
 'CalendarFeed': obj({'url':S(description='Secret; anyone with it can read your deadlines. Renew to revoke.')},['url']),
 'AlertAcknowledgementInput': obj({'kind':S(),'since':date,'note':S()},['kind','since']),
 'SignatureInput': obj({'status':S(description='signed, refused (or impossible) or exempt; exempt only for a month of crisis interventions only (seed 004), else 422 on status'),'date':date,'signedBy':S(),'reason':S(),
   'drawing':S(description='The signature drawn on screen: a PNG data URL (data:image/png;base64,...), at most 300 kB')},['status','date']),
 'Signature': obj({'status':S(),'date':date,'signedBy':S(),'reason':S(),'hasDrawing':{'type':'boolean'},
   'changedAfterSigning':{'type':'boolean','description':'The month\'s entries changed after this was recorded: it no longer allows the invoice; record a new signature (R15)'}},
   ['status','date','hasDrawing','changedAfterSigning']),
 'IssueAllResult': obj({'issued':arr(ref('Invoice')),'blocked':arr(ref('BlockedInvoice'))},['issued','blocked']),
 'BlockedInvoice': obj({'invoiceId':S(),'caseId':S(),'reasons':arr(S(description='German, for people'))},['invoiceId','caseId','reasons']),
 'ServiceRecord': obj({'caseId':S(),'month':S(),'entries':arr(ref('Entry')),'billableMinutes':I(),'requiresSignature':{'type':'boolean'},
   'signature':ref('Signature'),'allowsInvoice':{'type':'boolean'}},['caseId','month','entries','billableMinutes','requiresSignature','allowsInvoice']),
 'BillingRunInput': obj({'month':S(pattern=r'^\d{4}-\d{2}$', example='2026-11')},['month']),
 'BillingRun': obj({'month':S(),'invoiceCount':I(),'total':money},['month','invoiceCount','total']),
 'BillingRunOverview': obj({'month':S(),'cases':arr(ref('BillingRunCase'))},['month','cases']),
 'BillingRunCase': obj({'caseId':S(),'invoiceId':S(description='The latest invoice of the month; absent when there is none'),
   'status':{'type':'string','enum':['none','draft','issued','cancelled']},'total':S(description='Euro, decimal string; 0.00 without an invoice'),
   'blockers':arr(ref('BillingBlocker'))},['caseId','status','total','blockers']),
 'BillingBlocker': obj({'code':{'type':'string','enum':['missingRate','unsigned','overBudget','noApproval']},'detail':S(description='German, for people')},['code','detail']),
 'InvoiceLine': obj({'kind':S(description='serviceHours, reports, onboardingDay, shortNotice, crisis, travel, overBudget'),'description':S(),'minutes':I(),
   'quantity':S(),'unitPrice':S(),'amount':S(description='Euro, decimal string; negative on cancellation invoices')},['kind','description','minutes','quantity','unitPrice','amount']),
 'InvoiceHeader': obj({'providerName':S(),'providerAddress':S(),'providerTaxNumber':S(),'providerIban':S(),'youthOfficeName':S(),
   'youthOfficeAddress':S(),'leitwegId':S(),'fileNumber':S(),'initials':S(),'periodFrom':date,'periodTo':date,'vatNote':S()},
   ['providerName','providerAddress','providerTaxNumber','providerIban','youthOfficeName','youthOfficeAddress','leitwegId','fileNumber','initials','periodFrom','periodTo','vatNote']),
 'Invoice': obj({'id':S(),'caseId':S(),'month':S(),'status':{'type':'string','enum':['draft','issued','cancelled','cancellation']},'number':S(),
   'cancelsInvoiceId':S(),'lines':arr(ref('InvoiceLine')),'total':S(),
   'header':{**ref('InvoiceHeader'),'description':'Frozen when issued (R16)'}},['id','caseId','month','status','lines','total']),
 'AuditChange': {'type':'object','properties':{'from':S(),'to':S()}},
 'AuditEntry': obj({'id':S(),'at':S(format='date-time'),'username':S(),'action':S(),'entity':S(),'entityId':S(),'changes':{'type':'object','additionalProperties':ref('AuditChange')}},['id','at','username','action','entity','changes']),
}
# Documentation (R18–R20)
schemas.update({
 'GoalInput': obj({'title':S(),'specific':S(description='Was genau?'),'measurable':S(description='Woran gemessen?'),'achievable':S(),'relevant':S(),
   'timeBound':{**date,'description':'Bis wann?'},'youngPersonView':S(description="The goal in the young person's own words"),
   'status':S(description='open, inProgress, achieved or dropped; default open')},['title']),
 'GoalRatingInput': obj({'value':I(description='1 (nicht erreicht) to 5 (vollständig erreicht)'),'ratedOn':date,'reason':S(),'youngPersonView':S()},['value','ratedOn','reason']),
 'GoalRating': obj({'value':I(),'label':S(example='3 – teilweise erreicht'),'ratedOn':date,'reason':S(),'youngPersonView':S()},['value','label','ratedOn','reason']),
 'Goal': obj({'id':S(),'caseId':S(),'title':S(),'specific':S(),'measurable':S(),'achievable':S(),'relevant':S(),'timeBound':date,'youngPersonView':S(),
   'status':S(),'statusName':S(),'createdOn':date,'missingSmartParts':arr(S()),'ratings':arr(ref('GoalRating'))},
   ['id','caseId','title','status','statusName','createdOn','missingSmartParts','ratings']),
 'NoteInput': obj({'date':date,'observation':S(description='What happened, what was said — facts only'),'assessment':S(description='Your professional interpretation'),
   'goalIds':arr(S()),'serviceEntryId':S(),
   'correctsNoteId':S(description='Correct this note by a new version (its author, the team lead, management); the earlier version stays readable')},['date','observation']),
 'Note': obj({'id':S(),'caseId':S(),'date':date,'observation':S(),'assessment':S(),'goalIds':arr(S()),'serviceEntryId':S(),'authorStaffId':S(),'authorName':S(),
   'correctsNoteId':S(description='The earlier version this note corrects'),
   'correctedByNoteId':S(description='Set when a later version corrects this note: this one is then an earlier version')},
   ['id','caseId','date','observation','goalIds']),
 'ChildProtectionOpening': obj({'noticedOn':{**date,'description':'The day the indications were noticed'},'indications':S(description='What was observed')},['noticedOn','indications']),
 'ChildProtectionStepInput': obj({
   'kind':{'type':'string','enum':['consultation','riskAssessment','guardiansInvolved','protectionPlan','reportToYouthOffice','followUp','closed']},
   'date':date,'note':S(description='What happened; required except for riskAssessment and protectionPlan'),
   'correctsStepId':S(description='Correct a step of the same kind by this new one; the earlier one stays readable'),
   'participants':S(description='consultation: who took part'),
   'professionalIds':{**arr(S()),'description':'riskAssessment: at least two staff ids (four eyes)'},
   'isef':{'type':'object','properties':{'expertId':S(description='An id from GET /api/v1/isef-experts')},'description':'riskAssessment: the ISEF consulted'},
   'needs':{**arr(obj({'need':{'type':'string','enum':['careAndFood','hygiene','health','supervision','protectionFromViolence','protectionFromSexualAbuse','emotionalDevelopment','schooling']},
                        'rating':{'type':'string','enum':['good','sufficient','borderline','insufficient']}},['need','rating'])),'description':'riskAssessment: every basic need rated'},
   'riskLevel':{'type':'string','enum':['none','low','high','acute'],'description':'riskAssessment: high or acute make the Meldebogen due at once'},
   'guardiansInvolved':{'type':'boolean'},'childInvolved':{'type':'boolean'},
   'reasonNotInvolved':S(description='guardiansInvolved: why guardians or child were not involved (e.g. it would endanger the child)'),
   'measures':{**arr(obj({'what':S(),'who':S(),'byWhen':date},['what','who'])),'description':'protectionPlan: agreed measures'},
   'howChecked':S(description='protectionPlan: how the plan is checked'),
   'checkDates':{**arr(date),'description':'protectionPlan: check dates; each becomes a deadline'},
   'recipient':S(description='reportToYouthOffice: who at the youth office'),'way':S(description='reportToYouthOffice: how it was sent'),
   'outcome':S(description='closed: the outcome')},['kind','date']),
 'ChildProtectionStep': obj({'id':S(),'sequence':I(),'kind':S(),'kindName':S(),'date':date,'note':S(),'recordedBy':S(),
   'correctsStepId':S(),'correctedByStepId':S(description='Set when a later step corrects this one'),
   'participants':S(),'professionalIds':arr(S()),'isef':ref('IsefExpert'),
   'needs':arr(obj({'need':S(),'needName':S(),'rating':S(),'ratingName':S()},['need','needName','rating','ratingName'])),
   'riskLevel':S(),'riskLevelName':S(),'guardiansInvolved':{'type':'boolean'},'childInvolved':{'type':'boolean'},'reasonNotInvolved':S(),
   'measures':arr(obj({'what':S(),'who':S(),'byWhen':date},['what','who'])),'howChecked':S(),'checkDates':arr(date),
   'recipient':S(),'way':S(),'outcome':S()},['id','sequence','kind','kindName','date','note','recordedBy']),
 'ChildProtection': obj({'id':S(),'caseId':S(),'status':S(description='open or closed'),'noticedOn':date,'indications':S(),'openedBy':S(),
   'riskLevel':S(),'reportDueSince':{**date,'description':'Weighty indications without a report to the youth office since this day'},
   'nextSteps':{**arr(S()),'description':'The kinds of step that may be recorded now'},'steps':arr(ref('ChildProtectionStep'))},
   ['id','caseId','status','noticedOn','indications','openedBy','nextSteps','steps']),
 'ChildProtectionSummary': obj({'id':S(),'caseId':S(),'status':S(),'noticedOn':date,'riskLevel':S(),'reportDueSince':date,'lastActivity':date},
   ['id','caseId','status','noticedOn','lastActivity']),
 'OpenChildProtection': obj({'id':S(),'caseId':S(),'fileNumber':S(),'teamName':S(),'leadName':S(),'noticedOn':date,'riskLevel':S(),'reportDueSince':date,
   'lastActivity':date,'lastStep':S()},['id','caseId','fileNumber','teamName','noticedOn','lastActivity']),
 'IsefExpert': obj({'id':S(),'name':S(),'organisation':S(),'contact':S(),'staffId':S(description='Set for a staff member trained as ISEF')},['id','name']),
 'IsefExpertInput': obj({'name':S(description='Required unless staffId is given'),'organisation':S(),'contact':S(),'staffId':S()},[]),
 'SafeguardingStep': obj({'id':S(),'sequence':I(),'kind':S(),'kindName':S(),'date':date,'recipient':S(),'way':S(),'note':S(),'recordedBy':S()},
   ['id','sequence','kind','kindName','date','note','recordedBy']),
 'IncidentInput': obj({'occurredOn':date,'occurredAt':S(pattern=r'^\d{2}:\d{2}$',example='14:30'),
   'category':{'type':'string','enum':['violenceByStaff','violenceAmongYoungPeople','sexualAssault','selfHarm','missing','accident','crime','other']},
   'description':S(description='What happened'),'personsInvolved':S(),'caseId':S(description='The case, if any; one you work on')},
   ['occurredOn','occurredAt','category','description','personsInvolved']),
 'Incident': obj({'id':S(),'occurredOn':date,'occurredAt':S(),'category':S(),'categoryName':S(),'description':S(),'personsInvolved':S(),'caseId':S(),
   'recordedBy':S(),'status':S(description='open or closed'),'externalReportOverdue':{'type':'boolean'},'nextSteps':arr(S()),
   'steps':arr(ref('SafeguardingStep'))},['id','occurredOn','occurredAt','category','categoryName','description','personsInvolved','recordedBy','status','externalReportOverdue','nextSteps','steps']),
 'IncidentStepInput': obj({'kind':{'type':'string','enum':['internalReport','externalReport','documentation','affectedInformed','review','closed']},
   'date':date,'recipient':S(description='Reports: to whom'),'way':S(description='Reports: how it was sent'),'note':S()},['kind','date']),
 'ComplaintInput': obj({'receivedOn':date,'source':{'type':'string','enum':['youngPerson','guardian','staff','other']},
   'channel':{'type':'string','enum':['inPerson','phone','letter','email','complaintBox','other']},
   'category':{'type':'string','enum':['staffConduct','serviceQuality','participation','dataProtection','organisation','other']},
   'about':S(),'caseId':S(description='The case, if any; one you work on'),
   'ombudspersonOffered':{'type':'boolean','description':'Must be true: the independent ombudsperson was named to the person who complains'}},
   ['receivedOn','source','channel','category','about','ombudspersonOffered']),
 'Complaint': obj({'id':S(),'receivedOn':date,'source':S(),'sourceName':S(),'channel':S(),'category':S(),'categoryName':S(),'about':S(),'caseId':S(),
   'ombudspersonOffered':{'type':'boolean'},'recordedBy':S(),'status':S(description='received, acknowledged, handled or resolved'),
   'acknowledgementOverdue':{'type':'boolean'},'nextSteps':arr(S()),'steps':arr(ref('SafeguardingStep'))},
   ['id','receivedOn','source','sourceName','channel','category','categoryName','about','ombudspersonOffered','recordedBy','status','acknowledgementOverdue','nextSteps','steps']),
 'ComplaintStepInput': obj({'kind':{'type':'string','enum':['acknowledged','handled','resolved']},'date':date,'note':S(description='Required for handled and resolved')},['kind','date']),
 'ComplaintStatistics': obj({'from':date,'to':date,'total':I(),'resolved':I(),
   'byCategory':arr(obj({'category':S(),'name':S(),'count':I()},['category','name','count'])),
   'bySource':arr(obj({'source':S(),'name':S(),'count':I()},['source','name','count']))},['from','to','total','resolved','byCategory','bySource']),
 'SafeguardingSettings': obj({'incidentRecipients':{**arr(S()),'description':'External recipients besides the youth offices concerned'},
   'incidentReportHours':I(minimum=1,maximum=168,description='R22, default 24'),'complaintAcknowledgeDays':I(minimum=1,maximum=60,description='R23, default 3'),
   'ombudsperson':S(description='The independent ombudsperson with contact')},['incidentRecipients','incidentReportHours','complaintAcknowledgeDays','ombudsperson']),
 'ReportInput': obj({'kind':S(description='progress, final, status, short or clearing'),'periodFrom':{**date,'description':'Default: the day after the last report, or the start of the help'},
   'periodTo':{**date,'description':'Default: today'}},['kind']),
 'ReportSection': obj({'key':S(),'heading':S(),'text':S(description='Paragraphs separated by blank lines')},['key','heading','text']),
 'ReportSectionInput': obj({'text':S()},['text']),
 'ReportDayInput': obj({'date':{**date,'description':'Default: today'}},[]),
 'Report': obj({'id':S(),'caseId':S(),'kind':S(),'kindName':S(),'title':S(),'periodFrom':date,'periodTo':date,'status':S(),'statusName':S(),'editable':{'type':'boolean'},
   'sections':arr(ref('ReportSection')),'submittedOn':date,'approvedOn':date,'approvedByStaffId':S(),'sentOn':date,'discussedWithFamilyOn':date,
   'serviceEntryId':S(description='The report entry created when sent (R10)'),'sendWarning':S()},
   ['id','caseId','kind','kindName','title','periodFrom','periodTo','status','statusName','editable','sections']),
})
def problem(desc): return {'description':desc,'content':{'application/problem+json':{'schema':ref('Problem')}}}
doc = {
 'openapi':'3.1.0',
 'info':{'title':'Fallwerk API','version':'1.0.0','description':'Case management, service documentation and billing for ambulatory youth welfare (SGB VIII). All errors are application/problem+json with a German detail. Dates are YYYY-MM-DD, money and hours decimal strings, minutes integers.'},
 'servers':[{'url':'/'}],
 'security':[{'bearerAuth':[]}],
 'paths':paths,
 'components':{
   'securitySchemes':{'bearerAuth':{'type':'http','scheme':'bearer','description':'Token from POST /api/v1/session'}},
   'schemas':schemas,
   'responses':{'BadRequest':problem('Malformed request'),'Unauthorized':problem('Not signed in'),'Forbidden':problem('Not allowed for your roles'),
                'NotFound':problem('No such record'),'Unprocessable':problem('Invalid fields; see errors'),'TooManyRequests':problem('Too many failed logins; wait and retry')},
 }}
class D(yaml.SafeDumper):
    def ignore_aliases(self, data): return True
def repr_od(dumper, data): return dumper.represent_dict(data.items())
D.add_representer(collections.OrderedDict, repr_od)
D.add_representer(dict, lambda d, data: d.represent_mapping('tag:yaml.org,2002:map', data.items()))
print(yaml.dump(doc, Dumper=D, sort_keys=False, allow_unicode=True, width=120))
